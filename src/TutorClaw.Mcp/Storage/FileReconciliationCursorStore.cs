using System.Text.Json;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Storage;

/// <summary>The reconciliation cursor of the file store: <c>&lt;data&gt;/reconciliation.json</c>.</summary>
public sealed class FileReconciliationCursorStore(FileStoreDisk disk) : IReconciliationCursorStore
{
    private readonly string _path = Path.Combine(disk.Location, "reconciliation.json");

    public Task<ReconciliationCursor> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(JsonSerializer.Deserialize(File.ReadAllBytes(_path), BillingJsonContext.Default.ReconciliationCursor)
                ?? new ReconciliationCursor(null, null));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult(new ReconciliationCursor(null, null));
        }
    }

    public Task SaveAsync(ReconciliationCursor cursor, CancellationToken cancellationToken) =>
        disk.Writer.ReplaceAsync(_path, JsonSerializer.SerializeToUtf8Bytes(cursor, BillingJsonContext.Default.ReconciliationCursor));

    /// <summary>The embedded store serves one server process; the <see cref="Reconciler"/> runs
    /// one run at a time within it, so the claim is always granted.</summary>
    public Task<IAsyncDisposable?> TryClaimRunAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(NoClaim.Instance);

    private sealed class NoClaim : IAsyncDisposable
    {
        public static readonly NoClaim Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
