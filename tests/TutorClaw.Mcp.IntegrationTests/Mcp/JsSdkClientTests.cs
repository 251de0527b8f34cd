using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>
/// The official TypeScript SDK client (@modelcontextprotocol/sdk, StreamableHTTPClientTransport)
/// against the built server on a real loopback port, in the stateless default. tests/js-client is
/// installed by this test project's build (npm ci from its lock file), so Node.js and npm must be on PATH.
/// </summary>
public sealed class JsSdkClientTests(JsSdkClientTests.TokenServer server) : IClassFixture<JsSdkClientTests.TokenServer>
{
    public const string Token = "tutorclaw-js-test-token-not-a-secret";

    [Fact]
    public async Task The_typescript_sdk_client_connects_lists_and_calls_without_a_session()
    {
        var run = await JsClient.RunAsync(server.Server, Token);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\nstdout: {run.Stdout}\nstderr: {run.Stderr}\nserver log:\n{server.Server.Log}");
        using var summary = JsonDocument.Parse(run.Stdout);
        var root = summary.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("sessionId").ValueKind);
        var tools = root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("register_learner", tools);
        Assert.Contains("get_learner_tier", tools);
        Assert.Equal("free", root.GetProperty("tier").GetString());
        var learnerId = root.GetProperty("learnerId").GetString();
        Assert.True(File.Exists(Path.Combine(server.Server.DataDirectory, "learners", learnerId + ".json")));
    }

    [Fact]
    public async Task The_typescript_sdk_client_without_the_token_is_refused()
    {
        var run = await JsClient.RunAsync(server.Server, token: null);

        Assert.Equal(1, run.ExitCode);
        using var summary = JsonDocument.Parse(run.Stdout);
        Assert.Equal("connect", summary.RootElement.GetProperty("step").GetString());
        Assert.Contains("Unauthorized", summary.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain(Token, server.Server.Log);
    }

    /// <summary>One server process for the class, with TUTORCLAW_MCP_TOKEN set.</summary>
    public sealed class TokenServer : IAsyncLifetime
    {
        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["TUTORCLAW_MCP_TOKEN"] = Token });

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
