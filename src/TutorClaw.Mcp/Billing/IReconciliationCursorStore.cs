namespace TutorClaw.Mcp.Billing;

/// <summary>Where reconciliation keeps its <see cref="ReconciliationCursor"/>.</summary>
public interface IReconciliationCursorStore
{
    /// <summary>The saved cursor, or an empty one before the first run.</summary>
    Task<ReconciliationCursor> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the cursor durably.</summary>
    Task SaveAsync(ReconciliationCursor cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the one reconciliation run the store allows at a time, across every process that
    /// shares it; disposing the claim gives it up. Null, at once, when another process holds it.
    /// </summary>
    Task<IAsyncDisposable?> TryClaimRunAsync(CancellationToken cancellationToken);
}
