using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>
/// The journal writer on a real directory. A crash is taken as a copy of the data directory while
/// the writer still runs (what kill -9 leaves: the journal and the files in the page cache), with
/// the files then wound back to any earlier state (what a power cut can leave of files that were
/// never flushed): opening the copy must bring back every acknowledged write.
/// </summary>
public sealed class JournalWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Acknowledged_writes_are_in_place_at_once_and_survive_losing_every_unflushed_file()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "learners"));
        var versions = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        using var flush = new DiskFlush();
        using (var writer = new JournalWriter(OpenReplayed(data), flush))
        {
            var writes = Enumerable.Range(0, 64).Select(async i =>
            {
                var path = Path.Combine(data, "learners", $"l{i}.json");
                var history = new List<byte[]>();
                Assert.True(await writer.TryCreateAsync(path, Json(i, 0)));
                history.Add(Json(i, 0));
                for (var v = 1; v <= 3; v++)
                {
                    await writer.ReplaceAsync(path, Json(i, v));
                    // Visible as soon as acknowledged.
                    Assert.Equal(Json(i, v), File.ReadAllBytes(path));
                    history.Add(Json(i, v));
                }
                lock (versions)
                {
                    versions[path] = history;
                }
            });
            await Task.WhenAll(writes);

            // The crash: copy what is there now, then wind each file back.
            var crashed = _temp.Combine("crashed");
            CopyDirectory(data, crashed);
            var random = new Random(14);
            foreach (var (path, history) in versions)
            {
                var copy = Path.Combine(crashed, Path.GetRelativePath(data, path));
                switch (random.Next(4))
                {
                    case 0:
                        File.Delete(copy);
                        break;
                    case 1:
                        File.WriteAllBytes(copy, []);
                        break;
                    case 2:
                        File.WriteAllBytes(copy, history[random.Next(history.Count)]);
                        break;
                }
            }

            using var journal = Journal.TryOpen(crashed)!;
            JournalReplay.Run(journal, NullLogger.Instance);
            foreach (var (path, history) in versions)
            {
                Assert.Equal(history[^1], File.ReadAllBytes(Path.Combine(crashed, Path.GetRelativePath(data, path))));
            }
        }
        Assert.Empty(Directory.GetFiles(data, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_create_finding_the_file_there_answers_false_and_leaves_it()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, "entry");
        File.WriteAllText(path, "first");
        using var flush = new DiskFlush();
        using var writer = new JournalWriter(OpenReplayed(data), flush);

        Assert.False(await writer.TryCreateAsync(path, "second"u8.ToArray()));
        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public async Task Racing_creators_of_one_file_have_exactly_one_winner_whose_bytes_stay()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        using var flush = new DiskFlush();
        using var writer = new JournalWriter(OpenReplayed(data), flush);
        for (var round = 0; round < 50; round++)
        {
            var path = Path.Combine(data, $"index-{round}");
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
    }

    [Fact]
    public async Task Checkpoints_keep_the_journal_short_however_many_writes_and_a_restart_replays_nothing()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var journal = OpenReplayed(data);
        using var flush = new DiskFlush();
        var path = Path.Combine(data, "one.json");
        var most = 0UL;
        using (var writer = new JournalWriter(journal, flush, checkpointBytes: 16 * 1024))
        {
            for (var v = 0; v < 2_000; v++)
            {
                await writer.ReplaceAsync(path, Json(1, v));
                most = Math.Max(most, journal.Records);
            }
        }

        // Each record is about 90 bytes: past 16 KiB a checkpoint starts, and commits wait for it
        // only at 32 KiB, so the journal never holds more than ~360 of them.
        Assert.InRange(most, 1UL, 400UL);
        using var reopened = Journal.TryOpen(data)!;
        Assert.Equal(0, JournalReplay.Run(reopened, NullLogger.Instance).Records);
        Assert.Equal(Json(1, 1_999), File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Commits_go_on_while_a_checkpoint_flushes_the_older_files()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var flush = new HeldFlush();
        var journal = OpenReplayed(data);
        using (var writer = new JournalWriter(journal, flush, checkpointBytes: 4 * 1024))
        {
            // About 90 bytes a record: the checkpoint's flush starts after ~45 writes, and is held.
            var v = 0;
            while (!flush.Held.Task.IsCompleted)
            {
                Assert.True(v < 200, "no checkpoint started");
                await writer.ReplaceAsync(Path.Combine(data, $"f{v % 50}"), Json(v % 50, v));
                v++;
            }

            // Writes are acknowledged while it is held: nothing waits for it below twice the size.
            for (var i = 0; i < 20; i++, v++)
            {
                await writer.ReplaceAsync(Path.Combine(data, $"f{v % 50}"), Json(v % 50, v)).WaitAsync(TimeSpan.FromSeconds(10));
            }
            flush.Release();
            for (var i = 0; i < 200; i++, v++)
            {
                await writer.ReplaceAsync(Path.Combine(data, $"f{v % 50}"), Json(v % 50, v));
            }
            Assert.InRange(journal.Records, 1UL, 90UL);
        }
        using var reopened = Journal.TryOpen(data)!;
        Assert.Equal(0, JournalReplay.Run(reopened, NullLogger.Instance).Records);
    }

    [Fact]
    public async Task An_update_of_a_read_document_swaps_in_its_spare_and_reuses_the_old_file_once_the_swap_is_durable()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, "doc.json");
        var spare = TemporaryFile.SpareOf(path);
        // A second name for the document's first file: what it shows is what that file holds.
        var firstFile = Path.Combine(data, "first-file");
        using var flush = new DiskFlush();
        using (var writer = new JournalWriter(OpenReplayed(data), flush, swapFlushDelay: TimeSpan.Zero))
        {
            Assert.True(await writer.TryCreateAsync(path, Json(1, 0)));
            Assert.True(FileSystemCalls.LinkIfAbsent(path, firstFile));

            await writer.ReplaceReadAsync(path, Json(1, 1), Json(1, 0));
            Assert.Equal(Json(1, 1), File.ReadAllBytes(path));
            Assert.Equal(Json(1, 0), File.ReadAllBytes(spare));
            Assert.Equal(Json(1, 0), File.ReadAllBytes(firstFile));

            await WaitForAsync(() => writer.SwapsDurableThrough >= 2);
            await writer.ReplaceReadAsync(path, Json(1, 2), Json(1, 1));

            // The first file was overwritten and swapped back in: no file made, none deleted.
            Assert.Equal(Json(1, 2), File.ReadAllBytes(path));
            Assert.Equal(Json(1, 2), File.ReadAllBytes(firstFile));
            Assert.Equal(Json(1, 1), File.ReadAllBytes(spare));

            // A crash that loses the unflushed document: the journal brings back the last version.
            var crashed = _temp.Combine("crashed");
            CopyDirectory(data, crashed);
            File.WriteAllBytes(Path.Combine(crashed, "doc.json"), Json(1, 0));
            using var journal = Journal.TryOpen(crashed)!;
            JournalReplay.Run(journal, NullLogger.Instance);
            Assert.Equal(Json(1, 2), File.ReadAllBytes(Path.Combine(crashed, "doc.json")));
        }
        Assert.Equal(Json(1, 2), File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_document_updated_again_before_its_swap_is_durable_leaves_the_spare_alone()
    {
        var data = _temp.Combine("data");
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, "doc.json");
        var firstFile = Path.Combine(data, "first-file");
        using var flush = new DiskFlush();
        using var writer = new JournalWriter(OpenReplayed(data), flush, swapFlushDelay: TimeSpan.FromHours(1));
        Assert.True(await writer.TryCreateAsync(path, Json(1, 0)));
        Assert.True(FileSystemCalls.LinkIfAbsent(path, firstFile));

        await writer.ReplaceReadAsync(path, Json(1, 1), Json(1, 0));
        await writer.ReplaceReadAsync(path, Json(1, 2), Json(1, 1));

        // The spare (the first file) may still be the document's name on disk: never overwritten.
        Assert.Equal(Json(1, 2), File.ReadAllBytes(path));
        Assert.Equal(Json(1, 0), File.ReadAllBytes(firstFile));
        Assert.Equal(Json(1, 0), File.ReadAllBytes(TemporaryFile.SpareOf(path)));
        Assert.Equal(0, writer.SwapsDurableThrough);
    }

    /// <summary>Real flushes, but the first one of many files (a checkpoint's) waits for <see cref="Release"/>.</summary>
    private sealed class HeldFlush : IDiskFlush
    {
        private readonly ManualResetEventSlim _released = new();

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.Set();

        public void Flush(IReadOnlyList<string> paths)
        {
            if (paths.Count > 1 && Held.TrySetResult())
            {
                _released.Wait();
            }
            foreach (var path in paths)
            {
                DiskFlush.FlushPath(path);
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out");
            await Task.Delay(10);
        }
    }

    private static Journal OpenReplayed(string data)
    {
        var journal = Journal.TryOpen(data) ?? throw new InvalidOperationException("journal held");
        JournalReplay.Run(journal, NullLogger.Instance);
        return journal;
    }

    private static byte[] Json(int learner, int version) =>
        Encoding.UTF8.GetBytes($$"""{"learner":{{learner}},"version":{{version}}}""");

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
