using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;

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
/// page cache lost. A checkpoint bounds the journal: every file written since the last checkpoint
/// and its directory are flushed, then the journal starts a new generation. Past
/// <c>checkpointBytes</c> the older files are flushed beside the commits and only those written
/// meanwhile while commits wait (see <see cref="CommitAndCheckpoint"/>); at twice that size, and
/// when the writer is disposed, the whole checkpoint runs at once. A checkpoint costs one fsync per
/// distinct file written since the last one, so an update's cost does not grow with the journal or
/// with the number of learners.</para>
/// <para>A learner document (<see cref="ReplaceReadAsync"/>, whose caller holds the learner's lock)
/// is not written through a new temporary file but through its spare: the previous version's
/// file is overwritten and swapped with the document in one atomic step. An update then neither
/// creates nor deletes a file, which on this kind of file system is most of a write's CPU (ext4
/// without a journal scans past every recently deleted inode for each new one). A spare is only
/// overwritten once its swap is durable (a directory flush runs in the background after every
/// batch of swaps, and a checkpoint or replay flushes them too): until then the name on disk may
/// still be the document's, and a power cut in the middle of an overwrite would tear it. Until
/// then the document is written through a new temporary file, as any other file is.</para>
/// </summary>
public sealed partial class JournalWriter : IDurableWriter, IDisposable
{
    /// <summary>The journal length past which the writer checkpoints.</summary>
    public const long DefaultCheckpointBytes = 64L * 1024 * 1024;

    /// <summary>How long swaps wait for the directory flush that frees their spares: one flush per
    /// this interval at most, whatever the rate of updates. A document updated again sooner is
    /// written through a temporary file.</summary>
    public static readonly TimeSpan SwapFlushDelay = TimeSpan.FromMilliseconds(20);

    private readonly Journal _journal;
    private readonly IDiskFlush _flush;
    private readonly long _checkpointBytes;
    private readonly TimeSpan _swapFlushDelay;
    private readonly ILogger _logger;
    private readonly CommitQueue<Pending> _queue;
    /// <summary>Files placed since the last checkpoint (their records restore them); read by any
    /// writer, changed by the committer only.</summary>
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);
    /// <summary>The flush of a checkpoint's older files, running beside the commits; null when none runs.</summary>
    private Task? _checkpointFlush;
    /// <summary>The last batch whose files <see cref="_checkpointFlush"/> covers.</summary>
    private long _checkpointFlushThrough;
    /// <summary>Documents swapped with their spare, by the batch that swapped them, until a
    /// directory flush makes that swap durable.</summary>
    private readonly ConcurrentDictionary<string, long> _swappedIn = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _swapDirectories = new(StringComparer.Ordinal);
    /// <summary>Batches committed so far; written by the committer thread only.</summary>
    private long _batches;
    /// <summary>The last batch whose swaps a directory flush has made durable.</summary>
    private long _swapsDurableThrough;
    private long _swapsToFlushThrough;
    private int _directoryFlushRunning;

    /// <param name="journal">An opened, replayed journal; the writer owns it from now on.</param>
    /// <param name="swapFlushDelay">Default <see cref="SwapFlushDelay"/>; tests choose.</param>
    public JournalWriter(Journal journal, IDiskFlush flush, long checkpointBytes = DefaultCheckpointBytes, TimeSpan? swapFlushDelay = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _journal = journal;
        _flush = flush;
        _checkpointBytes = checkpointBytes;
        _swapFlushDelay = swapFlushDelay ?? SwapFlushDelay;
        _queue = new CommitQueue<Pending>("TutorClaw journal", CommitAndCheckpoint);
    }

    /// <summary>Batches committed so far (tests count them).</summary>
    internal long BatchesCommitted => Interlocked.Read(ref _batches);

    /// <summary>The last committed batch whose swaps are durable (tests wait for it).</summary>
    internal long SwapsDurableThrough => Volatile.Read(ref _swapsDurableThrough);

    public Task ReplaceAsync(string path, byte[] bytes)
    {
        var before = HashOf(path);
        var temp = TemporaryFile.Write(path, bytes, flush: false);
        return Enqueue(new Pending(new JournalRecord(JournalOperation.Replace, Relative(path), before, bytes), path, temp));
    }

    public Task ReplaceReadAsync(string path, byte[] bytes, byte[] current)
    {
        var record = new JournalRecord(JournalOperation.Replace, Relative(path), SHA256.HashData(current), bytes);
        if (_swappedIn.TryGetValue(path, out var swappedBy) && swappedBy > Volatile.Read(ref _swapsDurableThrough))
        {
            // Its spare may still be the document's name on disk: not overwritten yet.
            return Enqueue(new Pending(record, path, TemporaryFile.Write(path, bytes, flush: false)));
        }
        return Enqueue(new Pending(record, path, TemporaryFile.WriteSpare(path, bytes)) { Swap = true });
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
        WaitForCheckpointFlush();
        TryCheckpoint();
        _journal.Dispose();
    }

    /// <summary>Lets a running checkpoint flush finish (whatever it did is redone by the full
    /// checkpoint that follows).</summary>
    private void WaitForCheckpointFlush()
    {
        try
        {
            _checkpointFlush?.Wait();
        }
        catch (AggregateException)
        {
            // Its files are flushed again by the checkpoint that follows.
        }
        _checkpointFlush = null;
    }

    /// <summary>
    /// The first write of each side waits for the other side's first write (or its end), and the
    /// two are committed in one batch: one <c>fdatasync</c> and one round of wake-ups instead of two
    /// in a row. Without this, one request at a time made two batches (the webhook's payment-intent
    /// binding and learner update reach the committer a few microseconds apart). Neither side may
    /// wait for the other (see <see cref="WriteGroup{T}"/>).
    /// </summary>
    public Task WriteSideBySideAsync(Func<Task> first, Func<Task> second)
    {
        var group = new WriteGroup<Pending>(branches: 2, EnqueueTogether);
        return SideBySide.RunAsync(() => group.RunBranchAsync(first), () => group.RunBranchAsync(second));
    }

    private Task<bool> Enqueue(Pending pending)
    {
        if (WriteGroup<Pending>.TryHold(pending))
        {
            return pending.Done.Task;
        }
        if (!_queue.TryAdd(pending))
        {
            Abandon(pending);
            throw new ObjectDisposedException(nameof(JournalWriter));
        }
        return pending.Done.Task;
    }

    /// <summary>A write group's held writes, released by whichever side arrived last.</summary>
    private void EnqueueTogether(List<Pending> held)
    {
        if (!_queue.TryAddTogether(held))
        {
            foreach (var pending in held)
            {
                Abandon(pending);
                pending.Done.TrySetException(new ObjectDisposedException(nameof(JournalWriter)));
            }
        }
    }

    /// <summary>A write that never reaches the journal leaves no temporary file (a spare stays: it is
    /// the document's previous version, reused later).</summary>
    private static void Abandon(Pending pending)
    {
        if (pending.Temp is not null && !pending.Swap)
        {
            TemporaryFile.TryDelete(pending.Temp);
        }
    }

    /// <summary>
    /// A checkpoint in two steps, so commits do not wait for the whole of it: past
    /// <c>checkpointBytes</c>, the files written so far are flushed beside the commits; once that
    /// is done, only the files written meanwhile are flushed before the journal starts over. Only
    /// when the journal reaches twice the size first do commits wait for a whole checkpoint.
    /// </summary>
    private void CommitAndCheckpoint(List<Pending> batch)
    {
        Commit(batch);
        if (_checkpointFlush is { IsCompleted: true } flushed)
        {
            _checkpointFlush = null;
            // A failed flush (a full or read-only disk) leaves everything to a later checkpoint.
            if (flushed.Exception is null)
            {
                // Durable since that flush, unless written again after it began.
                foreach (var entry in _written)
                {
                    if (entry.Value <= _checkpointFlushThrough)
                    {
                        _written.TryRemove(entry);
                    }
                }
                MarkSwapsDurable(_checkpointFlushThrough);
                TryCheckpoint();
                return;
            }
        }
        if (_journal.Length >= 2 * _checkpointBytes)
        {
            WaitForCheckpointFlush();
            TryCheckpoint();
        }
        else if (_checkpointFlush is null && _journal.Length >= _checkpointBytes)
        {
            _checkpointFlushThrough = _batches;
            var files = _written.Keys.ToList();
            _checkpointFlush = Task.Run(() => FlushFiles(files));
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
        var batchNumber = ++_batches;
        var swapped = false;
        foreach (var pending in batch)
        {
            // Marked first: from here its durable record restores the file.
            _written[pending.Path] = batchNumber;
            try
            {
                var (swappedIn, answer) = pending.Place();
                if (swappedIn)
                {
                    // Remembered before the writer hears of it (its next update checks this) until a
                    // directory flush makes the swap durable and the spare free again.
                    _swapDirectories.TryAdd(Path.GetDirectoryName(pending.Path)!, true);
                    _swappedIn[pending.Path] = batchNumber;
                    swapped = true;
                }
                pending.Done.TrySetResult(answer);
            }
            catch (Exception e)
            {
                // Whatever failed belongs to this writer alone; the committer thread must live on.
                pending.Fail(e);
            }
        }
        if (swapped)
        {
            FlushSwapsLater(batchNumber);
        }
    }

    /// <summary>Makes the swaps of every batch up to <paramref name="batchNumber"/> durable with a
    /// flush of their directories, <see cref="SwapFlushDelay"/> later on a pool thread, one flush
    /// at a time; a flush asked for while one is pending or running follows it. Nothing waits for
    /// it: it only frees spares for reuse, so one flush can serve many batches.</summary>
    private void FlushSwapsLater(long batchNumber)
    {
        Volatile.Write(ref _swapsToFlushThrough, batchNumber);
        if (Interlocked.CompareExchange(ref _directoryFlushRunning, 1, 0) == 0)
        {
            _ = Task.Delay(_swapFlushDelay).ContinueWith(_ => FlushSwaps(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void FlushSwaps()
    {
        var through = Volatile.Read(ref _swapsToFlushThrough);
        try
        {
            foreach (var directory in _swapDirectories.Keys)
            {
                DiskFlush.FlushPath(directory);
            }
            MarkSwapsDurable(through);
        }
        catch (IOException)
        {
            // The spares stay unused (their documents are written through temporary files)
            // until a later flush, a checkpoint or a restart succeeds.
        }
        Volatile.Write(ref _directoryFlushRunning, 0);
        var wanted = Volatile.Read(ref _swapsToFlushThrough);
        if (wanted != through)
        {
            FlushSwapsLater(wanted);
        }
    }

    /// <summary>Every swap of a batch up to <paramref name="through"/> is durable: their spares
    /// may be overwritten, and nothing needs remembering about them.</summary>
    private void MarkSwapsDurable(long through)
    {
        Volatile.Write(ref _swapsDurableThrough, Math.Max(through, Volatile.Read(ref _swapsDurableThrough)));
        foreach (var swap in _swappedIn)
        {
            if (swap.Value <= through)
            {
                _swappedIn.TryRemove(swap);
            }
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
            var through = _batches;
            var started = Stopwatch.GetTimestamp();
            var files = FlushFiles(_written.Keys.ToList());
            MarkSwapsDurable(through);
            var records = _journal.Records;
            _journal.Reset();
            _written.Clear();
            LogCheckpoint(_logger, records, files, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (IOException)
        {
            // Kept for the next attempt; replay covers everything meanwhile.
        }
    }

    /// <summary>fsync of the files that exist and then of their directories; how many files.</summary>
    private int FlushFiles(List<string> paths)
    {
        var files = paths.Where(File.Exists).ToList();
        _flush.Flush([.. files, .. files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal)]);
        return files.Count;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal checkpoint: {Records} records retired, {Files} files flushed in {Milliseconds:F0} ms")]
    private static partial void LogCheckpoint(ILogger logger, ulong records, int files, double milliseconds);

    private sealed class Pending(JournalRecord record, string path, string? temp)
    {
        public JournalRecord Record => record;

        public string Path => path;

        /// <summary>The temporary file or (with <see cref="Swap"/>) the spare holding the new bytes.</summary>
        public string? Temp => temp;

        /// <summary>Whether <see cref="Temp"/> is the document's spare, to be swapped in.</summary>
        public bool Swap { get; init; }

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Puts the file in place (throws if it cannot): whether it swapped a spare in, and
        /// the writer's answer (false for a create that found the file there).</summary>
        public (bool Swapped, bool Answer) Place()
        {
            if (temp is null)
            {
                return (false, false);
            }
            if (Swap && FileSystemCalls.TryExchange(temp, path))
            {
                return (true, true);
            }
            if (record.Operation == JournalOperation.Replace)
            {
                File.Move(temp, path, overwrite: true);
                return (false, true);
            }
            var created = FileSystemCalls.LinkIfAbsent(temp, path);
            TemporaryFile.TryDelete(temp);
            return (false, created);
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
