using System.IO.Pipelines;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>
/// The stdio session opens before the server is composed: it answers initialize and tools/list on
/// its own, and a tool call waits until the composed server's services are handed over, then runs
/// on them.
/// </summary>
public sealed class StdioSessionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Tools_are_listed_before_the_hand_off_and_a_call_waits_for_it_then_runs_on_the_handed_over_services()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await using var session = StdioSession.Over(toServer.Reader.AsStream(), toClient.Writer.AsStream(), TimeProvider.System);
        await using var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()))
            .WaitAsync(Patience);

        Assert.Equal("tutorclaw", client.ServerInfo!.Name);
        Assert.False(session.Gate.ToolsListed.IsCompleted);
        var tools = await client.ListToolsAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(5, tools.Count);
        Assert.True(session.Gate.ToolsListed.IsCompleted);

        var call = client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada" }).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(call.IsCompleted, "a tool call was answered before the server was handed over");

        using var app = new TutorClawApp();
        session.HandOff(app.Services);
        var result = await call.WaitAsync(Patience);

        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        var learnerId = result.StructuredContent!.Value.GetProperty("learner_id").GetString()!;
        Assert.Equal("Ada", (await app.Learners.FindAsync(LearnerId.Parse(learnerId), default))!.Name);
    }

    [Fact]
    public async Task The_session_ends_when_the_client_closes_its_end()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await using var session = StdioSession.Over(toServer.Reader.AsStream(), toClient.Writer.AsStream(), TimeProvider.System);

        await toServer.Writer.CompleteAsync();

        await session.Completion.WaitAsync(Patience);
    }
}
