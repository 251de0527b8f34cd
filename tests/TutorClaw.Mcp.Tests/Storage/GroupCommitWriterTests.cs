using System.Text;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

public sealed class GroupCommitWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Racing_creators_of_one_file_have_exactly_one_winner_whose_bytes_stay()
    {
        using var flush = new DiskFlush();
        using var writer = new GroupCommitWriter(flush);
        // Creators released together, so some get past the "already there" check at the same
        // time and the atomic no-replace step decides.
        for (var round = 0; round < 100; round++)
        {
            var path = _directory.Combine($"index-{round}");
            using var start = new ManualResetEventSlim();
            var creators = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return (Writer: i, Won: await writer.TryCreateAsync(path, Encoding.ASCII.GetBytes($"writer {i}")));
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(creators);

            var winner = Assert.Single(results, r => r.Won);
            Assert.Equal($"writer {winner.Writer}", File.ReadAllText(path));
        }
        Assert.DoesNotContain(Directory.GetFiles(_directory.Path), TemporaryFile.IsTemporary);
    }

    [Fact]
    public async Task Replace_overwrites_and_leaves_no_temporary_file()
    {
        using var flush = new DiskFlush();
        using var writer = new GroupCommitWriter(flush);
        var path = _directory.Combine("doc.json");

        await writer.ReplaceAsync(path, "old"u8.ToArray());
        await writer.ReplaceAsync(path, "new"u8.ToArray());

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task Writes_queued_during_a_flush_share_the_next_two_flushes()
    {
        var flush = new GatedFlush(blockAt: 1);
        using var writer = new GroupCommitWriter(flush);

        var first = writer.ReplaceAsync(_directory.Combine("first"), [1]);
        await flush.Blocked.Task;
        var rest = Enumerable.Range(0, 63).Select(i => writer.ReplaceAsync(_directory.Combine($"doc-{i}"), [2])).ToArray();
        flush.Release();
        await Task.WhenAll([first, .. rest]);

        // Two flushes for the first write's batch, two for the 63 queued behind it.
        Assert.Equal(4, flush.Count);
        Assert.Equal(64, Directory.GetFiles(_directory.Path).Length);
    }

    [Fact]
    public async Task A_write_is_not_acknowledged_until_the_flush_after_its_rename()
    {
        var flush = new GatedFlush(blockAt: 2);
        using var writer = new GroupCommitWriter(flush);
        var path = _directory.Combine("doc.json");

        var write = writer.ReplaceAsync(path, "new"u8.ToArray());
        await flush.Blocked.Task;

        Assert.Equal("new", File.ReadAllText(path));
        Assert.False(write.IsCompleted);
        flush.Release();
        await write;
    }

    [Fact]
    public async Task A_failed_flush_fails_every_write_of_its_batch_and_changes_no_target()
    {
        var flush = new GatedFlush(blockAt: 1) { FailBlocked = true };
        using var writer = new GroupCommitWriter(flush);
        var kept = _directory.Combine("kept.json");
        await File.WriteAllTextAsync(kept, "old");

        var first = writer.ReplaceAsync(kept, "new"u8.ToArray());
        await flush.Blocked.Task;
        flush.Release();

        await Assert.ThrowsAsync<IOException>(() => first);
        Assert.Equal("old", File.ReadAllText(kept));
        Assert.Equal([kept], Directory.GetFiles(_directory.Path));
        await writer.ReplaceAsync(kept, "after"u8.ToArray());
        Assert.Equal("after", File.ReadAllText(kept));
    }

    [Fact]
    public async Task Creating_an_existing_file_waits_for_a_flush_and_writes_nothing()
    {
        var flush = new GatedFlush(blockAt: 0);
        using var writer = new GroupCommitWriter(flush);
        var path = _directory.Combine("taken");
        await File.WriteAllTextAsync(path, "first");

        Assert.False(await writer.TryCreateAsync(path, "second"u8.ToArray()));

        Assert.Equal(1, flush.Count);
        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    /// <summary>Counts flushes; the <c>blockAt</c>-th one waits for <see cref="Release"/> (and then
    /// fails if <see cref="FailBlocked"/>).</summary>
    private sealed class GatedFlush(int blockAt) : IDiskFlush
    {
        private readonly ManualResetEventSlim _gate = new();
        private int _count;

        public bool FailBlocked { get; init; }

        public int Count => _count;

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.Set();

        public void Flush(IReadOnlyList<string> paths)
        {
            if (Interlocked.Increment(ref _count) != blockAt)
            {
                return;
            }
            Blocked.SetResult();
            _gate.Wait();
            if (FailBlocked)
            {
                throw new IOException("Simulated flush failure.");
            }
        }
    }
}
