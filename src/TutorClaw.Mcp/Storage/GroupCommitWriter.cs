namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Durable whole-file writes, group-committed. Each writer puts its bytes in a temporary file
/// (no flush of its own) and queues the rename. One committer thread takes everything queued,
/// then: flush every temporary file, side by side (their bytes are durable), the renames, flush
/// every directory touched (the renames are durable), and only then completes the writers'
/// tasks. So a batch of any size costs two rounds of flushes that the file system commits
/// together, and a crash at any instant leaves each target old or new, never torn: a name only
/// ever points at bytes already on the disk. Nothing is acknowledged before its second round.
/// <para>The writer of a process that does not hold the store's journal (a command beside a
/// running server, see <see cref="FileStoreDisk"/>) and of <c>backup</c>: each file it writes is
/// durable on its own, so the journal's holder never needs to know about it.</para>
/// </summary>
public sealed class GroupCommitWriter : IDurableWriter, IDisposable
{
    private readonly IDiskFlush _flush;
    private readonly CommitQueue<Pending> _queue;

    public GroupCommitWriter(IDiskFlush flush)
    {
        _flush = flush;
        _queue = new CommitQueue<Pending>("TutorClaw group commit", Commit);
    }

    public Task ReplaceAsync(string path, byte[] bytes) =>
        Enqueue(new Pending(Operation.Replace, path, TemporaryFile.Write(path, bytes, flush: false)));

    public Task<bool> TryCreateAsync(string path, byte[] bytes)
    {
        // Already there (a replayed event's binding, a phone registered again): no temporary file.
        // The existing entry may belong to a writer between its rename and its flush (here or in
        // another process), so wait for a flush before answering.
        return File.Exists(path)
            ? Enqueue(new Pending(Operation.Flush, path, null))
            : Enqueue(new Pending(Operation.Create, path, TemporaryFile.Write(path, bytes, flush: false)));
    }

    public void Dispose() => _queue.Dispose();

    private Task<bool> Enqueue(Pending pending)
    {
        if (!_queue.TryAdd(pending))
        {
            if (pending.Temp is not null)
            {
                TemporaryFile.TryDelete(pending.Temp);
            }
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }
        return pending.Done.Task;
    }

    /// <summary>Every failure is handed to the batch's writers (their requests answer 500), never
    /// thrown: the committer thread outlives any one batch.</summary>
    private void Commit(List<Pending> batch)
    {
        var temps = batch.Where(p => p.Temp is not null).Select(p => p.Temp!).ToList();
        var directories = batch.Select(p => p.Directory).Distinct(StringComparer.Ordinal).ToList();
        if (temps.Count > 0 && !TryFlush(temps, batch))
        {
            return;
        }
        foreach (var pending in batch)
        {
            pending.Rename();
        }
        if (!TryFlush(directories, batch))
        {
            return;
        }
        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    /// <summary>Flushes <paramref name="paths"/>; on failure every writer of the batch gets the error.</summary>
    private bool TryFlush(IReadOnlyList<string> paths, List<Pending> batch)
    {
        try
        {
            _flush.Flush(paths);
            return true;
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }
            return false;
        }
    }

    private enum Operation
    {
        Replace,
        Create,
        Flush,
    }

    private sealed class Pending(Operation operation, string path, string? temp)
    {
        private bool _created;
        private Exception? _error;

        public string? Temp => temp;

        public string Directory => Path.GetDirectoryName(path)!;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Rename()
        {
            if (temp is null)
            {
                return;
            }
            try
            {
                if (operation == Operation.Replace)
                {
                    File.Move(temp, path, overwrite: true);
                    _created = true;
                }
                else
                {
                    _created = FileSystemCalls.LinkIfAbsent(temp, path);
                }
            }
            catch (Exception e)
            {
                // Whatever failed belongs to this writer alone; the committer thread must live on.
                _error = e;
            }
            finally
            {
                if (operation != Operation.Replace || _error is not null)
                {
                    TemporaryFile.TryDelete(temp);
                }
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

        public void Complete()
        {
            if (_error is null)
            {
                Done.TrySetResult(_created);
            }
            else
            {
                Done.TrySetException(_error);
            }
        }
    }
}
