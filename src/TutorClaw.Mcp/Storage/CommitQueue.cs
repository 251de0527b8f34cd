namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The group-commit loop shared by the store's writers: one committer thread takes every item
/// queued so far as one batch and hands it to <c>commitBatch</c>, so a burst of writers shares one
/// round of flushes. <c>commitBatch</c> must not throw: it answers the batch's writers itself.
/// <para>The committer sleeps on a monitor, without spinning. A spinning wait (BlockingCollection's
/// SemaphoreSlim) called <c>sched_yield</c> six or seven times per batch on this VM, where every
/// system call is expensive: at one request at a time that was CPU taken from the request itself.</para>
/// </summary>
public sealed class CommitQueue<T> : IDisposable
{
    private readonly object _gate = new();
    private readonly Action<List<T>> _commitBatch;
    private readonly Thread _committer;
    private List<T> _queued = [];
    private List<T> _spare = [];
    private bool _committerAsleep;
    private bool _closed;

    public CommitQueue(string threadName, Action<List<T>> commitBatch)
    {
        _commitBatch = commitBatch;
        _committer = new Thread(Run) { IsBackground = true, Name = threadName };
        _committer.Start();
    }

    /// <summary>Queues <paramref name="item"/> for the next batch; false once the queue is disposed.</summary>
    public bool TryAdd(T item)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            _queued.Add(item);
            WakeCommitter();
            return true;
        }
    }

    /// <summary>Queues <paramref name="items"/> for the next batch, all in the same one; false once
    /// the queue is disposed.</summary>
    public bool TryAddTogether(IReadOnlyList<T> items)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            _queued.AddRange(items);
            WakeCommitter();
            return true;
        }
    }

    /// <summary>Commits what is queued, then stops the committer thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            WakeCommitter();
        }
        _committer.Join();
    }

    /// <summary>Call with the gate held.</summary>
    private void WakeCommitter()
    {
        if (_committerAsleep)
        {
            _committerAsleep = false;
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            List<T> batch;
            lock (_gate)
            {
                while (_queued.Count == 0 && !_closed)
                {
                    _committerAsleep = true;
                    Monitor.Wait(_gate);
                }
                if (_queued.Count == 0)
                {
                    return;
                }
                batch = _queued;
                _queued = _spare;
            }
            _commitBatch(batch);
            batch.Clear();
            // Only this thread swaps the lists, and the queued one is never the spare.
            _spare = batch;
        }
    }
}
