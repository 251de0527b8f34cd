using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Storage;

/// <summary>The embedded store: files under the data directory, every part writing through one
/// durable writer, the group-committed write-ahead journal in the process that holds it (README
/// "Data on disk"). Opening it replays the journal, so nothing reads a file that is not up to date.</summary>
public sealed class FileStore : IStore, IDisposable
{
    private readonly FileStoreDisk _disk;

    public FileStore(IOptions<StorageOptions> options, TimeProvider clock, ILogger<FileStore>? logger = null)
    {
        _disk = new FileStoreDisk(options.Value.DataDirectory, options.Value.Commit, logger);
        Learners = new FileLearnerRepository(_disk, clock);
        PaymentIntents = new FilePaymentIntentIndex(_disk);
        Unmatched = new FileUnmatchedPaymentLog(_disk);
        Reconciliation = new FileReconciliationCursorStore(_disk);
    }

    public string Kind => "file";

    public string Location => _disk.Location;

    public ILearnerRepository Learners { get; }

    public IPaymentIntentIndex PaymentIntents { get; }

    public IUnmatchedPaymentLog Unmatched { get; }

    public IReconciliationCursorStore Reconciliation { get; }

    public Task WriteSideBySideAsync(Func<Task> first, Func<Task> second) => _disk.Writer.WriteSideBySideAsync(first, second);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(FileStoreHealth.Check(Location));

    public void Dispose() => _disk.Dispose();
}
