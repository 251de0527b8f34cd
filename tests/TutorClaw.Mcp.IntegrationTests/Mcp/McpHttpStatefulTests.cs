using System.Net;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>TUTORCLAW_MCP_STATEFUL=true: the SDK's sessions, named by Mcp-Session-Id; stateless is the default.</summary>
public sealed class McpHttpStatefulTests
{
    private static TutorClawApp StatefulApp()
    {
        var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_STATEFUL"] = "true";
        return app;
    }

    [Fact]
    public async Task Stateful_initialize_issues_a_session_id_that_lists_the_tools()
    {
        using var app = StatefulApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tools = (await RawMcp.ReadEventAsync(response)).GetProperty("result").GetProperty("tools");
        Assert.Contains(tools.EnumerateArray(), t => t.GetProperty("name").GetString() == "register_learner");
    }

    [Fact]
    public async Task Stateful_a_deleted_session_answers_404_when_reused()
    {
        using var app = StatefulApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var deleted = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, sessionId));
        using var reused = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
    }

    [Fact]
    public async Task Stateful_an_unknown_session_id_is_404()
    {
        using var app = StatefulApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stateless_by_default_initialize_issues_no_session_and_delete_is_not_offered()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var initialized = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));
        using var delete = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.OK, initialized.StatusCode);
        Assert.False(initialized.Headers.Contains("Mcp-Session-Id"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
    }
}
