using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>Runs tests/js-client/mcp-http-client.mjs against a server process's /mcp.</summary>
internal static class JsClient
{
    private static readonly string ClientDirectory = Path.Combine(RepositoryRoot.Path, "tests", "js-client");

    public static Task<ProcessRun> RunAsync(ServerProcess server, string? token)
    {
        var url = new Uri(server.BaseAddress, "/mcp").ToString();
        string[] arguments = token is null ? ["mcp-http-client.mjs", url] : ["mcp-http-client.mjs", url, token];
        // The script falls back to TUTORCLAW_MCP_TOKEN; a developer's own must not leak into these runs.
        var environment = new Dictionary<string, string?> { ["TUTORCLAW_MCP_TOKEN"] = null };
        return ProcessRun.RunAsync("node", arguments, ClientDirectory, environment, TimeSpan.FromSeconds(60));
    }
}
