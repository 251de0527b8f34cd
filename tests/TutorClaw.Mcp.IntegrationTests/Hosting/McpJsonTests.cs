using System.Text.Json;
using ModelContextProtocol.Client;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Hosting;

/// <summary>The repository's .mcp.json, as Claude Code reads it when opened in the checkout.</summary>
public sealed class McpJsonTests
{
    [Fact]
    public async Task The_project_mcp_json_parses_and_a_client_spawned_from_exactly_its_command_lists_the_tools()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, ".mcp.json")));
        var entry = document.RootElement.GetProperty("mcpServers").GetProperty("tutorclaw");
        Assert.Equal("stdio", entry.GetProperty("type").GetString());
        var command = entry.GetProperty("command").GetString()!;
        var arguments = entry.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        using var server = new BuiltServer();
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);

        // Claude Code starts it in the project directory; only the data directory and the port are the test's own.
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tutorclaw-mcp-json",
            Command = command,
            Arguments = arguments,
            WorkingDirectory = RepositoryRoot.Path,
            EnvironmentVariables = server.Environment(("TUTORCLAW_URLS", "http://127.0.0.1:0")),
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
        var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);

        Assert.Equal(
            ["check_chapter_access", "get_billing_portal_url", "get_learner_tier", "get_upgrade_url", "register_learner"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
