using System.Collections.Concurrent;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The group-commit loop shared by the store's writers: one committer thread takes every item
/// queued so far as one batch and hands it to <c>commitBatch</c>, so a burst of writers shares one
/// round of flushes. <c>commitBatch</c> must not throw: it answers the batch's writers itself.
/// </summary>
public sealed class CommitQueue<T> : IDisposable
{
    private readonly BlockingCollection<T> _queue = new();
    private readonly Action<List<T>> _commitBatch;
    private readonly Thread _committer;

    public CommitQueue(string threadName, Action<List<T>> commitBatch)
    {
        _commitBatch = commitBatch;
        _committer = new Thread(Run) { IsBackground = true, Name = threadName };
        _committer.Start();
    }

    /// <summary>Queues <paramref name="item"/> for the next batch; false once the queue is disposed.</summary>
    public bool TryAdd(T item)
    {
        try
        {
            _queue.Add(item);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Commits what is queued, then stops the committer thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _committer.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        var batch = new List<T>();
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (_queue.TryTake(out var next))
            {
                batch.Add(next);
            }
            _commitBatch(batch);
            batch.Clear();
        }
    }
}
