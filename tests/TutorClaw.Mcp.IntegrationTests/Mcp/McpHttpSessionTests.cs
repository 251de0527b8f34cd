using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

public sealed class McpHttpSessionTests
{
    [Fact]
    public async Task Initialize_issues_a_session_id_and_answers_as_an_event_stream()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessionId = Assert.Single(response.Headers.GetValues("Mcp-Session-Id"));
        Assert.Matches("^[0-9a-f]{32}$", sessionId);
        var message = await RawMcp.ReadEventAsync(response);
        Assert.Equal(1, message.GetProperty("id").GetInt32());
        Assert.Equal("2025-11-25", message.GetProperty("result").GetProperty("protocolVersion").GetString());
    }

    [Fact]
    public async Task A_session_lists_the_same_tools_as_stdio()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        var tools = (await RawMcp.ReadEventAsync(response)).GetProperty("result").GetProperty("tools")
            .EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("register_learner", tools);
        Assert.Contains("get_learner_tier", tools);
        Assert.Equal(sessionId, Assert.Single(response.Headers.GetValues("Mcp-Session-Id")));
    }

    [Fact]
    public async Task A_request_without_a_session_id_is_400()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32000, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Fact]
    public async Task An_unknown_session_id_is_404()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(-32001, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("1900-01-01")]
    [InlineData("not-a-version")]
    [InlineData("2026-07-28")]
    public async Task An_unsupported_protocol_version_header_is_400(string version)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId, version));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32000, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task The_supported_protocol_versions_are_served(string version)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId, version));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_session_answers_404_when_reused()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var deleted = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, sessionId));
        using var reused = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));
        using var deletedAgain = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, sessionId));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
        Assert.Equal(-32001, await RawMcp.ReadErrorCodeAsync(reused));
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task Delete_without_a_session_id_is_400()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Request(HttpMethod.Delete));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_opens_the_server_stream_and_delete_ends_it()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var stream = await client.SendAsync(RawMcp.Request(HttpMethod.Get, sessionId), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var body = stream.Content.ReadAsStringAsync();
        using var deleted = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, sessionId));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await body.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_second_get_stream_on_one_session_is_409()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);
        using var first = await client.SendAsync(RawMcp.Request(HttpMethod.Get, sessionId), HttpCompletionOption.ResponseHeadersRead);

        using var second = await client.SendAsync(RawMcp.Request(HttpMethod.Get, sessionId), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Get_without_a_session_id_is_400()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Request(HttpMethod.Get));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_session_idle_past_the_timeout_is_ended()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);
        var sessions = app.Services.GetRequiredService<McpSessionStore>();

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        var ended = await sessions.EndIdleSessionsAsync();
        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.Equal(1, ended);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_session_used_within_the_timeout_is_kept()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);
        var sessions = app.Services.GetRequiredService<McpSessionStore>();

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        using (await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId)))
        {
        }
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        var ended = await sessions.EndIdleSessionsAsync();
        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.Equal(0, ended);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Request(HttpMethod.Put));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
