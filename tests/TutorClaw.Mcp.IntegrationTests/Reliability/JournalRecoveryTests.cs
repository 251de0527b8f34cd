using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// A server killed after its journal flush but before (or without durably finishing) the file
/// replace: the acknowledged payment is only in the journal, and the learner's document on disk
/// is the old one. The crash image is made by copying the data directory while the writing
/// repository still holds its journal (what kill -9 leaves), then putting the old document
/// back (what a power cut can leave of a file that was never flushed). The real server started
/// on it must answer the very first tool call with the journaled state.
/// </summary>
public sealed class JournalRecoveryTests
{
    private static readonly LearnerId Id = LearnerId.Parse("learner_journal");

    [Fact]
    public async Task The_first_tool_call_after_a_crash_between_the_journal_flush_and_the_file_replace_sees_the_acknowledged_payment()
    {
        using var app = new TutorClawApp();
        await MakeCrashImageAsync(app.DataDirectory, app.Clock.GetUtcNow());

        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        var result = await mcp.CallAsync("get_learner_tier", new { learner_id = Id.Value });

        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        Assert.Equal("paid", result.StructuredContent!.Value.GetProperty("tier").GetString());
    }

    /// <summary>
    /// The same crash image behind the stdio door of the built server, whose store opens while the
    /// stdio session answers its first messages: the first tool call, sent as soon as tools/list is
    /// answered, still sees the acknowledged payment.
    /// </summary>
    [Fact]
    public async Task Over_stdio_the_first_tool_call_after_the_crash_sees_the_acknowledged_payment()
    {
        using var server = new BuiltServer();
        await MakeCrashImageAsync(server.DataDirectory, DateTimeOffset.UtcNow);

        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tutorclaw-recovery",
            Command = BuiltServer.DotnetHost,
            Arguments = BuiltServer.Arguments,
            WorkingDirectory = server.WorkingDirectory,
            EnvironmentVariables = server.Environment(),
        }), cancellationToken: timeout.Token);
        Assert.Contains(await client.ListToolsAsync(cancellationToken: timeout.Token), t => t.Name == "get_learner_tier");
        var result = await client.CallToolAsync("get_learner_tier", new Dictionary<string, object?> { ["learner_id"] = Id.Value }, cancellationToken: timeout.Token);

        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        Assert.Equal("paid", result.StructuredContent!.Value.GetProperty("tier").GetString());
    }

    /// <summary>Puts into <paramref name="dataDirectory"/> what a kill -9 between the journal flush and
    /// the file replace of a free → paid update leaves: the journal with the update, the old document.</summary>
    private static async Task MakeCrashImageAsync(string dataDirectory, DateTimeOffset now)
    {
        var staging = Path.Combine(Path.GetTempPath(), "tutorclaw-tests", "journal-" + Guid.NewGuid().ToString("N"));
        try
        {
            var document = Path.Combine(staging, "learners", Id.Value + ".json");
            using (var repository = new FileLearnerRepository(staging, TimeProvider.System))
            {
                Assert.True(await repository.TryCreateAsync(Learner.CreateFree(Id, "Journal", now), default));
            }
            var free = File.ReadAllBytes(document);
            using (var repository = new FileLearnerRepository(staging, TimeProvider.System))
            {
                await repository.UpdateAsync(Id, l => l with { Tier = Tier.Paid }, default);
                CopyDirectory(staging, dataDirectory);
            }
            File.WriteAllBytes(Path.Combine(dataDirectory, "learners", Id.Value + ".json"), free);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
