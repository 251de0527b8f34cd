using System.Collections.Concurrent;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>The group-commit loop: every item committed exactly once, the items of a unit in one
/// batch, everything queued during a commit taken as the next batch, and nothing lost on dispose.</summary>
public sealed class CommitQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Items_queued_while_a_batch_commits_are_committed_together_as_the_next_batch()
    {
        var batches = new BlockingCollection<int[]>();
        using var firstBatchMayEnd = new ManualResetEventSlim();
        using var queue = new CommitQueue<int>("test committer", batch =>
        {
            batches.Add(batch.ToArray());
            if (batch.Contains(0))
            {
                firstBatchMayEnd.Wait(Patience);
            }
        });

        Assert.True(queue.TryAdd(0));
        Assert.True(batches.TryTake(out var first, Patience));
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(queue.TryAdd(i));
        }
        firstBatchMayEnd.Set();

        Assert.True(batches.TryTake(out var second, Patience));
        Assert.Equal([0], first);
        Assert.Equal([1, 2, 3, 4, 5], second);
    }

    [Fact]
    public void Many_writers_at_once_have_every_item_committed_exactly_once_and_each_unit_in_one_batch()
    {
        const int Writers = 8;
        const int UnitsPerWriter = 500;
        var committed = new ConcurrentBag<(int Writer, int Unit, int Part, int Batch)>();
        var batchNumber = 0;
        using (var queue = new CommitQueue<(int Writer, int Unit, int Part)>("test committer", batch =>
        {
            batchNumber++;
            foreach (var item in batch)
            {
                committed.Add((item.Writer, item.Unit, item.Part, batchNumber));
            }
        }))
        {
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
            {
                for (var unit = 0; unit < UnitsPerWriter; unit++)
                {
                    Assert.True(queue.TryAddTogether([(writer, unit, 0), (writer, unit, 1), (writer, unit, 2)]));
                }
            });
        }

        Assert.Equal(Writers * UnitsPerWriter * 3, committed.Count);
        var units = committed.GroupBy(c => (c.Writer, c.Unit)).ToList();
        Assert.Equal(Writers * UnitsPerWriter, units.Count);
        Assert.All(units, unit =>
        {
            Assert.Equal([0, 1, 2], unit.Select(c => c.Part).Order());
            Assert.Single(unit.Select(c => c.Batch).Distinct());
        });
    }

    [Fact]
    public async Task Dispose_commits_everything_already_queued_refuses_later_adds_and_may_be_called_again()
    {
        var committed = new ConcurrentQueue<int>();
        using var firstBatchStarted = new ManualResetEventSlim();
        using var firstBatchMayEnd = new ManualResetEventSlim();
        var queue = new CommitQueue<int>("test committer", batch =>
        {
            foreach (var item in batch)
            {
                committed.Enqueue(item);
            }
            firstBatchStarted.Set();
            firstBatchMayEnd.Wait(Patience);
        });
        Assert.True(queue.TryAdd(1));
        Assert.True(firstBatchStarted.Wait(Patience));
        Assert.True(queue.TryAdd(2));
        Assert.True(queue.TryAddTogether([3, 4]));

        var disposing = Task.Run(queue.Dispose);
        firstBatchMayEnd.Set();
        await disposing.WaitAsync(Patience);

        Assert.Equal([1, 2, 3, 4], committed);
        Assert.False(queue.TryAdd(5));
        Assert.False(queue.TryAddTogether([6]));
        queue.Dispose();
    }
}
