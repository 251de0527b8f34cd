using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>Runs the official TypeScript SDK client scripts in tests/js-client against a server's /mcp.</summary>
internal static class JsClient
{
    private static readonly string ClientDirectory = Path.Combine(RepositoryRoot.Path, "tests", "js-client");

    /// <summary>mcp-http-client.mjs: connect, list, register, read the tier, end the session.</summary>
    public static Task<ProcessRun> RunAsync(ServerProcess server, string? token) =>
        RunScriptAsync("mcp-http-client.mjs", [new Uri(server.BaseAddress, "/mcp").ToString(), .. token is null ? Array.Empty<string>() : [token]]);

    /// <summary>tool-results.mjs: every tool in success and error cases, each result validated against
    /// the tool's outputSchema; <paramref name="subscriberLearnerId"/> is a learner on the monthly plan.</summary>
    public static Task<ProcessRun> RunToolResultsAsync(Uri origin, string subscriberLearnerId) =>
        RunScriptAsync("tool-results.mjs", [new Uri(origin, "/mcp").ToString(), subscriberLearnerId]);

    private static Task<ProcessRun> RunScriptAsync(string script, string[] arguments)
    {
        // The scripts fall back to TUTORCLAW_MCP_TOKEN; a developer's own must not leak into these runs.
        var environment = new Dictionary<string, string?> { ["TUTORCLAW_MCP_TOKEN"] = null };
        return ProcessRun.RunAsync("node", [script, .. arguments], ClientDirectory, environment, TimeSpan.FromSeconds(60));
    }
}
