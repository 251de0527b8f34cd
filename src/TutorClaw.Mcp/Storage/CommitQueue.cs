using System.Collections.Concurrent;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The group-commit loop shared by the store's writers: one committer thread takes every item
/// queued so far as one batch and hands it to <c>commitBatch</c>, so a burst of writers shares one
/// round of flushes. <c>commitBatch</c> must not throw: it answers the batch's writers itself.
/// </summary>
public sealed class CommitQueue<T> : IDisposable
{
    /// <summary>Units of one or more items; the items of a unit always land in the same batch.</summary>
    private readonly BlockingCollection<IReadOnlyList<T>> _queue = new();
    private readonly Action<List<T>> _commitBatch;
    private readonly Thread _committer;
    private int _disposed;

    public CommitQueue(string threadName, Action<List<T>> commitBatch)
    {
        _commitBatch = commitBatch;
        _committer = new Thread(Run) { IsBackground = true, Name = threadName };
        _committer.Start();
    }

    /// <summary>Queues <paramref name="item"/> for the next batch; false once the queue is disposed.</summary>
    public bool TryAdd(T item) => TryAddTogether([item]);

    /// <summary>Queues <paramref name="items"/> for the next batch, all in the same one; false once
    /// the queue is disposed.</summary>
    public bool TryAddTogether(IReadOnlyList<T> items)
    {
        try
        {
            _queue.Add(items);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // Adding completed, or the queue already gone: the writer is told, nothing is lost silently.
            return false;
        }
    }

    /// <summary>Commits what is queued, then stops the committer thread. Later calls do nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.CompleteAdding();
        _committer.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        var batch = new List<T>();
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.AddRange(first);
            while (_queue.TryTake(out var next))
            {
                batch.AddRange(next);
            }
            _commitBatch(batch);
            batch.Clear();
        }
    }
}
