namespace TutorClaw.Mcp.Storage;

/// <summary>
/// What every part of the file store shares: the data directory, the durable writer (one
/// committer per process, so writes of all parts share its flushes) and the striped lock that
/// serializes updates of one key across threads and processes.
/// </summary>
public sealed class FileStoreDisk : IDisposable
{
    private readonly DiskFlush? _ownedFlush;
    private readonly GroupCommitWriter? _groupWriter;

    public FileStoreDisk(string dataDirectory, StoreCommit commit)
    {
        Location = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(Location);
        if (commit == StoreCommit.Group)
        {
            _ownedFlush = new DiskFlush();
            _groupWriter = new GroupCommitWriter(_ownedFlush);
            Writer = _groupWriter;
        }
        else
        {
            Writer = new PerWriteFsyncWriter();
        }
        Locks = new StripedLock(Path.Combine(Location, "locks"));
    }

    /// <summary>Group commit through the given flush (tests count flushes or fail one).</summary>
    public FileStoreDisk(string dataDirectory, IDiskFlush flush)
    {
        Location = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(Location);
        _groupWriter = new GroupCommitWriter(flush);
        Writer = _groupWriter;
        Locks = new StripedLock(Path.Combine(Location, "locks"));
    }

    public string Location { get; }

    public IDurableWriter Writer { get; }

    public StripedLock Locks { get; }

    /// <summary>A directory of the store, created if missing.</summary>
    public string Directory(string name)
    {
        var path = Path.Combine(Location, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        _groupWriter?.Dispose();
        _ownedFlush?.Dispose();
        Locks.Dispose();
    }
}
