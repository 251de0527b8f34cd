using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>The TypeScript SDK client against the built server with TUTORCLAW_MCP_STATEFUL=true.</summary>
public sealed class JsSdkClientStatefulTests
{
    [Fact]
    public async Task The_typescript_sdk_client_gets_a_session_and_its_delete_makes_the_id_answer_404()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["TUTORCLAW_MCP_STATEFUL"] = "true" });

        var run = await JsClient.RunAsync(server, token: null);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\nstdout: {run.Stdout}\nstderr: {run.Stderr}\nserver log:\n{server.Log}");
        using var summary = JsonDocument.Parse(run.Stdout);
        var root = summary.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("sessionId").GetString()));
        Assert.Equal("2025-11-25", root.GetProperty("protocolVersion").GetString());
        Assert.Equal("free", root.GetProperty("tier").GetString());
        Assert.True(root.GetProperty("sessionTerminated").GetBoolean());
        Assert.Equal(404, root.GetProperty("reusedSessionStatus").GetInt32());
        Assert.Contains("/mcp (stateful sessions)", server.Log);
    }
}
