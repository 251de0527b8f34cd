using Microsoft.Extensions.Logging.Abstractions;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// What every part of the file store shares: the data directory, the durable writer (one
/// committer per process, so writes of all parts share its flushes) and the striped lock that
/// serializes updates of one key across threads and processes.
/// <para>The process that opens the store first takes the write-ahead journal: it replays it
/// (before anything reads a file) and then writes through it (<see cref="JournalWriter"/>). A
/// process that finds the journal held (a command beside a running server) leaves it to its
/// holder and makes every write durable file by file (<see cref="GroupCommitWriter"/>), under the
/// same lock files, which the holder's replay rule allows for.</para>
/// </summary>
public sealed partial class FileStoreDisk : IDisposable
{
    private readonly DiskFlush _ownedFlush = new();
    private readonly IDisposable _ownedWriter;

    public FileStoreDisk(string dataDirectory, StoreCommit commit, ILogger? logger = null)
    {
        Location = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(Location);
        var journal = Journal.TryOpen(Location);
        if (journal is not null)
        {
            try
            {
                JournalReplay.Run(journal, logger ?? NullLogger.Instance);
            }
            catch (Exception)
            {
                journal.Dispose();
                _ownedFlush.Dispose();
                throw;
            }
        }
        if (commit == StoreCommit.PerWrite)
        {
            // The naive comparator; the journal was only needed for the replay.
            journal?.Dispose();
            Writer = new PerWriteFsyncWriter();
            _ownedWriter = _ownedFlush;
        }
        else if (journal is not null)
        {
            var writer = new JournalWriter(journal, _ownedFlush, logger: logger);
            Writer = writer;
            _ownedWriter = writer;
        }
        else
        {
            if (logger is not null)
            {
                LogJournalHeld(logger, Location);
            }
            var writer = new GroupCommitWriter(_ownedFlush);
            Writer = writer;
            _ownedWriter = writer;
        }
        Locks = new StripedLock(Path.Combine(Location, "locks"));
    }

    /// <summary>Group commit without the journal, through the given flush (tests count flushes or fail one).</summary>
    public FileStoreDisk(string dataDirectory, IDiskFlush flush)
    {
        Location = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(Location);
        var writer = new GroupCommitWriter(flush);
        Writer = writer;
        _ownedWriter = writer;
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

    /// <summary>The writer first (a journal writer checkpoints through the flush threads), then the flush threads.</summary>
    public void Dispose()
    {
        _ownedWriter.Dispose();
        if (!ReferenceEquals(_ownedWriter, _ownedFlush))
        {
            _ownedFlush.Dispose();
        }
        Locks.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "File store: another process holds the journal of {DataDirectory}; this one writes file by file (temporary file, fsync, rename, directory fsync)")]
    private static partial void LogJournalHeld(ILogger logger, string dataDirectory);
}
