using System.Net;
using System.Net.Http.Headers;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

public sealed class McpHttpGuardTests
{
    private const string Token = "tutorclaw-test-token-not-a-secret";

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost.evil.example:8000")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_403(string origin)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var request = RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null);
        request.Headers.Add("Origin", origin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://[::1]:3000")]
    [InlineData("https://tutor.example.org")]
    public async Task Loopback_and_public_url_origins_are_served(string origin)
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_PUBLIC_URL"] = "https://tutor.example.org";
        using var client = app.CreateClient();
        var request = RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null);
        request.Headers.Add("Origin", origin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_remote_client_is_403()
    {
        using var app = new TutorClawApp { RemoteIpAddress = IPAddress.Parse("203.0.113.7") };
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_connection_with_no_address_is_403()
    {
        using var app = new TutorClawApp { RemoteIpAddress = null };
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_rebound_host_name_is_403()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var request = RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null);
        request.Headers.Host = "attacker.example:8000";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_a_request_without_one_is_401_with_a_bearer_challenge()
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
    }

    [Theory]
    [InlineData("Bearer", "tutorclaw-test-token-not-a-secreT")]
    [InlineData("Bearer", "tutorclaw-test-token-not-a-secret-and-more")]
    [InlineData("Basic", Token)]
    public async Task With_a_token_a_wrong_credential_is_401(string scheme, string credential)
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, credential);

        using var response = await client.SendAsync(RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_a_token_the_right_bearer_opens_a_session_from_a_remote_address()
    {
        using var app = new TutorClawApp { RemoteIpAddress = IPAddress.Parse("203.0.113.7") };
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var sessionId = await RawMcp.InitializeAsync(client);
        using var response = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList, sessionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_a_foreign_origin_is_still_403()
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var request = RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null);
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_guard_covers_get_and_delete_too()
    {
        using var app = new TutorClawApp();
        app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        using var client = app.CreateClient();

        using var get = await client.SendAsync(RawMcp.Request(HttpMethod.Get, "0123456789abcdef0123456789abcdef"));
        using var delete = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
    }
}
