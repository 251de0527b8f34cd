using System.Text;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Learners;

public sealed class DurableFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Racing_creators_of_one_file_have_exactly_one_winner_whose_bytes_stay()
    {
        // Many rounds, each with creators released together, so some get past the "already
        // there" check at the same time and the atomic no-replace step decides.
        for (var round = 0; round < 400; round++)
        {
            var path = _directory.Combine($"index-{round}");
            using var start = new ManualResetEventSlim();
            var creators = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            {
                start.Wait();
                return (Writer: i, Won: DurableFile.TryCreate(path, Encoding.ASCII.GetBytes($"writer {i}")));
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(creators);

            var winner = Assert.Single(results, r => r.Won);
            Assert.Equal($"writer {winner.Writer}", File.ReadAllText(path));
        }
        Assert.DoesNotContain(Directory.GetFiles(_directory.Path), DurableFile.IsTemporary);
    }

    [Fact]
    public void Replace_overwrites_and_leaves_no_temporary_file()
    {
        var path = _directory.Combine("doc.json");

        DurableFile.Replace(path, "old"u8);
        DurableFile.Replace(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }
}
