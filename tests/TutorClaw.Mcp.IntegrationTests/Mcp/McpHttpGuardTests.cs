using System.Net;
using System.Net.Http.Headers;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>/mcp's access policy (bearer scheme, Origin, loopback and proxy rule) in front of the SDK's transport.</summary>
public sealed class McpHttpGuardTests
{
    private const string Token = "tutorclaw-test-token-not-a-secret";
    private const string PublicUrl = "https://tutor.example.org";

    [Fact]
    public async Task Without_a_token_a_loopback_client_is_served_statelessly()
    {
        using var app = new TutorClawApp();

        using var response = await PostToolsListAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        var tools = (await RawMcp.ReadEventAsync(response)).GetProperty("result").GetProperty("tools");
        Assert.Contains(tools.EnumerateArray(), t => t.GetProperty("name").GetString() == "get_learner_tier");
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost.evil.example:8000")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_403(string origin)
    {
        using var app = new TutorClawApp();

        using var response = await PostToolsListAsync(app, r => r.Headers.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(-32000, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://[::1]:3000")]
    public async Task Loopback_origins_are_served(string origin)
    {
        using var app = new TutorClawApp();

        using var response = await PostToolsListAsync(app, r => r.Headers.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_public_origin_is_served_only_with_a_token()
    {
        using var withoutToken = App(publicUrl: true);
        using var withToken = App(publicUrl: true, token: true);

        using var refused = await PostToolsListAsync(withoutToken, r => r.Headers.Add("Origin", PublicUrl));
        using var served = await PostToolsListAsync(withToken, r => r.Headers.Add("Origin", PublicUrl), bearer: Token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_remote_client_is_403_with_a_sentence_naming_the_token()
    {
        using var app = new TutorClawApp { RemoteIpAddress = IPAddress.Parse("203.0.113.7") };

        using var response = await PostToolsListAsync(app);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("set TUTORCLAW_MCP_TOKEN", await RawMcp.ReadErrorMessageAsync(response));
    }

    [Fact]
    public async Task Without_a_token_a_connection_with_no_address_is_403()
    {
        using var app = new TutorClawApp { RemoteIpAddress = null };

        using var response = await PostToolsListAsync(app);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_rebound_host_name_is_403()
    {
        using var app = new TutorClawApp();

        using var response = await PostToolsListAsync(app, r => r.Headers.Host = "attacker.example:8000");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("set TUTORCLAW_MCP_TOKEN", await RawMcp.ReadErrorMessageAsync(response));
    }

    /// <summary>Issue 12 item 3: a reverse proxy on this host makes every remote client look local.</summary>
    [Fact]
    public async Task Without_a_token_a_proxied_request_for_the_public_host_is_403()
    {
        using var app = App(publicUrl: true);

        using var response = await PostToolsListAsync(app, ProxiedForPublicHost);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("set TUTORCLAW_MCP_TOKEN", await RawMcp.ReadErrorMessageAsync(response));
    }

    [Fact]
    public async Task With_a_token_the_proxied_request_for_the_public_host_is_served()
    {
        using var app = App(publicUrl: true, token: true);

        using var response = await PostToolsListAsync(app, ProxiedForPublicHost, bearer: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData("X-Forwarded-Host", "localhost")]
    [InlineData("X-Forwarded-Proto", "https")]
    public async Task Without_a_token_any_forwarding_header_on_a_loopback_host_is_403(string header, string value)
    {
        using var app = new TutorClawApp();

        using var response = await PostToolsListAsync(app, r => r.Headers.Add(header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_public_host_is_403_even_unproxied()
    {
        using var app = App(publicUrl: true);

        using var response = await PostToolsListAsync(app, r => r.Headers.Host = "tutor.example.org");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_a_request_without_one_is_401_with_a_bearer_challenge()
    {
        using var app = App(token: true);

        using var response = await PostToolsListAsync(app);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(-32000, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("Bearer", "tutorclaw-test-token-not-a-secreT")]
    [InlineData("Bearer", "tutorclaw-test-token-not-a-secret-and-more")]
    [InlineData("Basic", Token)]
    public async Task With_a_token_a_wrong_credential_is_401(string scheme, string credential)
    {
        using var app = App(token: true);

        using var response = await PostToolsListAsync(app, r => r.Headers.Authorization = new AuthenticationHeaderValue(scheme, credential));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_a_token_the_right_bearer_is_served_from_a_remote_address()
    {
        using var app = App(token: true);
        app.RemoteIpAddress = IPAddress.Parse("203.0.113.7");

        using var response = await PostToolsListAsync(app, bearer: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_a_foreign_origin_is_still_403()
    {
        using var app = App(token: true);

        using var response = await PostToolsListAsync(app, r => r.Headers.Add("Origin", "https://evil.example"), bearer: Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_guard_covers_get_and_delete_too()
    {
        using var app = App(token: true);
        app.Settings["TUTORCLAW_MCP_STATEFUL"] = "true";
        using var client = app.CreateClient();

        using var get = await client.SendAsync(RawMcp.Request(HttpMethod.Get, "0123456789abcdef0123456789abcdef"));
        using var delete = await client.SendAsync(RawMcp.Request(HttpMethod.Delete, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
    }

    [Fact]
    public async Task Other_paths_are_not_behind_the_guard()
    {
        using var app = App(token: true);
        app.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static TutorClawApp App(bool publicUrl = false, bool token = false)
    {
        var app = new TutorClawApp();
        if (publicUrl)
        {
            app.Settings["TUTORCLAW_PUBLIC_URL"] = PublicUrl;
        }
        if (token)
        {
            app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        }
        return app;
    }

    /// <summary>What a reverse proxy on this host sends: the public Host and the remote client's address.</summary>
    private static void ProxiedForPublicHost(HttpRequestMessage request)
    {
        request.Headers.Host = "tutor.example.org";
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
    }

    private static async Task<HttpResponseMessage> PostToolsListAsync(
        TutorClawApp app, Action<HttpRequestMessage>? shape = null, string? bearer = null)
    {
        using var client = app.CreateClient();
        var request = RawMcp.Post(RawMcp.ToolsList);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        shape?.Invoke(request);
        return await client.SendAsync(request);
    }
}
