using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Durable whole-file writes through the write-ahead journal, group-committed. Each writer puts
/// its bytes in a temporary file beside the target (no flush) and queues a record: the file, the
/// operation, the SHA-256 of the file's current bytes and the new bytes in full. One committer
/// thread takes everything queued, appends the records with ONE <c>fdatasync</c> of the journal,
/// then renames (or links, for create-if-absent) every temporary file into place without a flush
/// of its own, and only then completes the writers' tasks: a reader sees the new file as soon as
/// the write is acknowledged, and the record that can restore it was durable first. The callers
/// hold the learner's lock across the write, so the record and the rename of one file are never
/// overtaken by another writer of that file.
/// <para>The files are not flushed per write; <see cref="JournalReplay"/> restores any the
/// page cache lost. A checkpoint bounds the journal: past <c>checkpointBytes</c>, and when the
/// writer is disposed, every file written since the last checkpoint and its directory are flushed
/// and the journal starts a new generation. A checkpoint costs one fsync per distinct file written
/// since the last one, so an update's cost does not grow with the journal or with the number of
/// learners.</para>
/// </summary>
public sealed class JournalWriter : IDurableWriter, IDisposable
{
    /// <summary>The journal length past which the writer checkpoints.</summary>
    public const long DefaultCheckpointBytes = 64L * 1024 * 1024;

    private readonly Journal _journal;
    private readonly IDiskFlush _flush;
    private readonly long _checkpointBytes;
    private readonly CommitQueue<Pending> _queue;
    /// <summary>Files placed since the last checkpoint (their records restore them); read by any
    /// writer, changed by the committer only.</summary>
    private readonly ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    /// <param name="journal">An opened, replayed journal; the writer owns it from now on.</param>
    public JournalWriter(Journal journal, IDiskFlush flush, long checkpointBytes = DefaultCheckpointBytes)
    {
        _journal = journal;
        _flush = flush;
        _checkpointBytes = checkpointBytes;
        _queue = new CommitQueue<Pending>("TutorClaw journal", CommitAndCheckpoint);
    }

    public Task ReplaceAsync(string path, byte[] bytes)
    {
        var before = HashOf(path);
        var temp = TemporaryFile.Write(path, bytes, flush: false);
        return Enqueue(new Pending(new JournalRecord(JournalOperation.Replace, Relative(path), before, bytes), path, temp));
    }

    public Task<bool> TryCreateAsync(string path, byte[] bytes)
    {
        // Already there (a replayed event's binding, a phone registered again): no record. An
        // entry this writer placed since the last checkpoint is restored by its record; any other
        // is durable already (a checkpoint or replay flushed it) unless a command beside us is
        // between its rename and its flush, so flush it: nearly free when it is clean.
        if (File.Exists(path))
        {
            if (!_written.ContainsKey(path))
            {
                DiskFlush.FlushPath(path);
                DiskFlush.FlushPath(System.IO.Path.GetDirectoryName(path)!);
            }
            return Task.FromResult(false);
        }
        var temp = TemporaryFile.Write(path, bytes, flush: false);
        return Enqueue(new Pending(new JournalRecord(JournalOperation.CreateIfAbsent, Relative(path), null, bytes), path, temp));
    }

    public void Dispose()
    {
        _queue.Dispose();
        TryCheckpoint();
        _journal.Dispose();
    }

    private Task<bool> Enqueue(Pending pending)
    {
        if (!_queue.TryAdd(pending))
        {
            if (pending.Temp is not null)
            {
                TemporaryFile.TryDelete(pending.Temp);
            }
            throw new ObjectDisposedException(nameof(JournalWriter));
        }
        return pending.Done.Task;
    }

    private void CommitAndCheckpoint(List<Pending> batch)
    {
        Commit(batch);
        if (_journal.Length >= _checkpointBytes)
        {
            TryCheckpoint();
        }
    }

    /// <summary>Every failure is handed to the batch's writers (their requests answer 500), never
    /// thrown: the committer thread outlives any one batch.</summary>
    private void Commit(List<Pending> batch)
    {
        try
        {
            _journal.Append(batch.Select(p => p.Record).ToList());
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }
            return;
        }
        foreach (var pending in batch)
        {
            // Marked first: from here its durable record restores the file.
            _written[pending.Path] = true;
            pending.Apply();
        }
    }

    /// <summary>Flushes every file written since the last checkpoint and their directories, then
    /// resets the journal. A failed checkpoint (a full or read-only disk) keeps the journal as it
    /// is, records and all, and is tried again after the next batch.</summary>
    private void TryCheckpoint()
    {
        if (_journal.Records == 0)
        {
            return;
        }
        try
        {
            var files = _written.Keys.Where(File.Exists).ToList();
            _flush.Flush([.. files, .. files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal)]);
            _journal.Reset();
            _written.Clear();
        }
        catch (IOException)
        {
            // Kept for the next attempt; replay covers everything meanwhile.
        }
    }

    private string Relative(string path) => Path.GetRelativePath(_journal.DataDirectory, path);

    private static byte[]? HashOf(string path) => TryRead(path) is { } bytes ? SHA256.HashData(bytes) : null;

    private static byte[]? TryRead(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private sealed class Pending(JournalRecord record, string path, string? temp)
    {
        public JournalRecord Record => record;

        public string Path => path;

        public string? Temp => temp;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Puts the file in place and completes the writer's task.</summary>
        public void Apply()
        {
            if (temp is null)
            {
                Done.TrySetResult(false);
                return;
            }
            try
            {
                if (record.Operation == JournalOperation.Replace)
                {
                    File.Move(temp, path, overwrite: true);
                    Done.TrySetResult(true);
                }
                else
                {
                    var created = FileSystemCalls.LinkIfAbsent(temp, path);
                    TemporaryFile.TryDelete(temp);
                    Done.TrySetResult(created);
                }
            }
            catch (Exception e)
            {
                // Whatever failed belongs to this writer alone; the committer thread must live on.
                TemporaryFile.TryDelete(temp);
                Done.TrySetException(e);
            }
        }

        public void Fail(Exception error)
        {
            if (temp is not null)
            {
                TemporaryFile.TryDelete(temp);
            }
            Done.TrySetException(error);
        }
    }
}
