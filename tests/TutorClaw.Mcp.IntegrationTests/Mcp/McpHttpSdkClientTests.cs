using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>The C# SDK's own Streamable HTTP client against /mcp, over the in-process test server.</summary>
public sealed class McpHttpSdkClientTests
{
    private const string Token = "tutorclaw-test-token-not-a-secret";

    [Fact]
    public async Task The_sdk_client_registers_a_learner_and_reads_the_tier_over_stateless_http()
    {
        using var app = new TutorClawApp();
        using var http = app.CreateClient();
        await using var client = await ConnectAsync(app, http);

        var registered = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada" });
        var learnerId = registered.StructuredContent!.Value.GetProperty("learner_id").GetString();
        var tier = await client.CallToolAsync("get_learner_tier", new Dictionary<string, object?> { ["learner_id"] = learnerId });

        Assert.Null(client.SessionId);
        Assert.NotEqual(true, registered.IsError);
        Assert.NotEqual(true, tier.IsError);
        Assert.Equal("free", tier.StructuredContent!.Value.GetProperty("tier").GetString());
        Assert.NotNull(await app.Learners.FindAsync(TutorClaw.Mcp.Learners.LearnerId.Parse(learnerId!), CancellationToken.None));
    }

    [Fact]
    public async Task The_sdk_client_lists_the_same_tools_as_the_in_process_server()
    {
        using var app = new TutorClawApp();
        using var http = app.CreateClient();
        await using var overHttp = await ConnectAsync(app, http);
        await using var inProcess = await InProcessMcp.ConnectAsync(app.Services);

        var httpTools = (await overHttp.ListToolsAsync()).Select(t => t.Name).Order();
        var inProcessTools = (await inProcess.Client.ListToolsAsync()).Select(t => t.Name).Order();

        Assert.Equal(inProcessTools, httpTools);
    }

    [Fact]
    public async Task The_sdk_client_authenticates_with_the_bearer_token()
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await using var client = await ConnectAsync(app, http);

        var tools = await client.ListToolsAsync();

        Assert.Contains(tools, t => t.Name == "register_learner");
    }

    [Fact]
    public async Task With_stateful_sessions_disposing_the_sdk_client_ends_its_session()
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_STATEFUL"] = "true";
        using var http = app.CreateClient();
        var client = await ConnectAsync(app, http);
        var sessionId = client.SessionId;
        var tools = await client.ListToolsAsync();

        await client.DisposeAsync();
        using var reused = await http.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.NotNull(sessionId);
        Assert.NotEmpty(tools);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
    }

    private static async Task<McpClient> ConnectAsync(TutorClawApp app, HttpClient http)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(http.BaseAddress!, McpEndpoints.Path),
                TransportMode = HttpTransportMode.StreamableHttp,
            },
            http,
            app.Services.GetRequiredService<ILoggerFactory>(),
            ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "tutorclaw-tests", Version = "1.0" },
        });
    }
}
