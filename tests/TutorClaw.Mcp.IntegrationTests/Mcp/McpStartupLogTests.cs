using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>The one startup line that says how /mcp is served and which access rule is in force.</summary>
public sealed class McpStartupLogTests
{
    [Fact]
    public void Without_a_token_the_startup_line_states_the_loopback_and_proxy_rule()
    {
        var lines = StartupLines(token: null);

        var line = Assert.Single(lines);
        Assert.Contains("/mcp (stateless)", line);
        Assert.Contains("TUTORCLAW_MCP_TOKEN unset", line);
        Assert.Contains("Forwarded/X-Forwarded-*", line);
    }

    [Fact]
    public void With_a_token_the_startup_line_says_a_bearer_token_is_required_and_never_shows_it()
    {
        var lines = StartupLines(token: "tutorclaw-startup-test-token-fake");

        var line = Assert.Single(lines);
        Assert.Contains("bearer token required", line);
        Assert.DoesNotContain("tutorclaw-startup-test-token-fake", line);
    }

    private static IReadOnlyList<string> StartupLines(string? token)
    {
        var logs = new RecordingLoggerProvider();
        using var app = new TutorClawApp { ConfigureTestServices = logs.AddTo };
        app.Settings["TUTORCLAW_MCP_TOKEN"] = token;
        using var client = app.CreateClient();
        return logs.Records.Where(r => r.Contains("/mcp (", StringComparison.Ordinal)).ToList();
    }
}
