using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>
/// Writes made side by side (the webhook's payment-intent binding and learner update) share one
/// journal batch, however far apart they reach the writer; a side that writes nothing, writes
/// again or fails never leaves the other waiting.
/// </summary>
public sealed class SideBySideWriteTests : IDisposable
{
    /// <summary>Long enough for the committer to take a lone write as a batch of its own.</summary>
    private static readonly TimeSpan Apart = TimeSpan.FromMilliseconds(50);

    private readonly TempDirectory _temp = new();
    private readonly DiskFlush _flush = new();
    private readonly JournalWriter _writer;
    private readonly string _data;

    public SideBySideWriteTests()
    {
        _data = _temp.Combine("data");
        Directory.CreateDirectory(_data);
        var journal = Journal.TryOpen(_data)!;
        JournalReplay.Run(journal, NullLogger.Instance);
        _writer = new JournalWriter(journal, _flush);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _flush.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task The_first_write_of_each_side_lands_in_one_batch_even_when_one_side_is_late()
    {
        var before = _writer.BatchesCommitted;

        await _writer.WriteSideBySideAsync(
            () => _writer.TryCreateAsync(PathOf("binding"), Bytes("l_1")),
            async () =>
            {
                await Task.Delay(Apart);
                await _writer.ReplaceAsync(PathOf("learner.json"), Bytes("{\"tier\":\"paid\"}"));
            });

        Assert.Equal(before + 1, _writer.BatchesCommitted);
        Assert.Equal("l_1", File.ReadAllText(PathOf("binding")));
        Assert.Equal("{\"tier\":\"paid\"}", File.ReadAllText(PathOf("learner.json")));
    }

    [Fact]
    public async Task A_side_that_ends_without_writing_releases_the_others_write()
    {
        var before = _writer.BatchesCommitted;

        await _writer.WriteSideBySideAsync(
            () => _writer.TryCreateAsync(PathOf("binding"), Bytes("l_1")),
            () => Task.Delay(Apart));

        Assert.Equal(before + 1, _writer.BatchesCommitted);
        Assert.Equal("l_1", File.ReadAllText(PathOf("binding")));
    }

    [Fact]
    public async Task A_write_that_finds_its_file_there_already_counts_as_no_write()
    {
        File.WriteAllText(PathOf("binding"), "l_1");
        var before = _writer.BatchesCommitted;

        await _writer.WriteSideBySideAsync(
            async () => Assert.False(await _writer.TryCreateAsync(PathOf("binding"), Bytes("l_2"))),
            () => _writer.ReplaceAsync(PathOf("learner.json"), Bytes("{}")));

        Assert.Equal(before + 1, _writer.BatchesCommitted);
        Assert.Equal("l_1", File.ReadAllText(PathOf("binding")));
    }

    [Fact]
    public async Task Only_a_sides_first_write_waits_for_the_other_side()
    {
        var before = _writer.BatchesCommitted;
        var otherSideWrote = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await _writer.WriteSideBySideAsync(
            async () =>
            {
                await _writer.ReplaceAsync(PathOf("upgrade-link"), Bytes("l_1"));
                // The second write of this side goes to the committer at once; if it waited for
                // the other side as the first did, the other side would wait here forever.
                await _writer.ReplaceAsync(PathOf("learner.json"), Bytes("{}"));
                otherSideWrote.SetResult();
            },
            async () =>
            {
                await Task.Delay(Apart);
                await _writer.TryCreateAsync(PathOf("binding"), Bytes("l_1"));
                await otherSideWrote.Task;
            });

        Assert.Equal(before + 2, _writer.BatchesCommitted);
    }

    [Fact]
    public async Task A_side_that_fails_before_writing_releases_the_other_and_the_whole_fails_after_both()
    {
        var written = false;

        var whole = _writer.WriteSideBySideAsync(
            async () =>
            {
                await _writer.TryCreateAsync(PathOf("binding"), Bytes("l_1"));
                written = true;
            },
            async () =>
            {
                await Task.Delay(Apart);
                throw new IOException("the learner's document could not be read");
            });

        var error = await Assert.ThrowsAsync<IOException>(() => whole);
        Assert.Equal("the learner's document could not be read", error.Message);
        Assert.True(written);
        Assert.Equal("l_1", File.ReadAllText(PathOf("binding")));
    }

    [Fact]
    public async Task Without_a_journal_both_sides_still_finish_before_the_whole_does()
    {
        var slowSideDone = false;

        var whole = SideBySide.RunAsync(
            async () =>
            {
                await Task.Delay(Apart);
                slowSideDone = true;
            },
            () => throw new InvalidOperationException("thrown before the first await"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => whole);
        Assert.True(slowSideDone);
    }

    private string PathOf(string name) => Path.Combine(_data, name);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
