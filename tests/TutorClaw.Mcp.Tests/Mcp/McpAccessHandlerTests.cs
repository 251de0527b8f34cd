using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Tests.Mcp;

public sealed class McpAccessHandlerTests
{
    private static readonly Uri PublicUrl = new("https://tutor.example.org");

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:6274")]
    [InlineData("https://LOCALHOST:8443")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://[::1]:3000")]
    public void Loopback_origins_are_allowed_with_or_without_a_token(string origin)
    {
        Assert.True(McpAccessHandler.IsAllowedOrigin(origin, PublicUrl, hasToken: false));
        Assert.True(McpAccessHandler.IsAllowedOrigin(origin, PublicUrl, hasToken: true));
    }

    [Theory]
    [InlineData("https://tutor.example.org")]
    [InlineData("https://tutor.example.org:443")]
    public void The_public_origin_is_allowed_only_with_a_token(string origin)
    {
        Assert.False(McpAccessHandler.IsAllowedOrigin(origin, PublicUrl, hasToken: false));
        Assert.True(McpAccessHandler.IsAllowedOrigin(origin, PublicUrl, hasToken: true));
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://tutor.example.org")]
    [InlineData("https://tutor.example.org:8443")]
    [InlineData("https://tutor.example.org.evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.2:8000")]
    [InlineData("file:///etc/passwd")]
    [InlineData("null")]
    [InlineData("")]
    public void Other_origins_are_refused(string origin) =>
        Assert.False(McpAccessHandler.IsAllowedOrigin(origin, PublicUrl, hasToken: true));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("203.0.113.7", false)]
    [InlineData("::ffff:203.0.113.7", false)]
    public void Loopback_is_judged_by_the_peer_address(string address, bool loopback) =>
        Assert.Equal(loopback, McpAccessHandler.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public void A_connection_without_an_address_is_not_loopback() =>
        Assert.False(McpAccessHandler.IsLoopback(null));

    [Theory]
    [InlineData("localhost:8000", true)]
    [InlineData("127.0.0.1:8000", true)]
    [InlineData("[::1]:8000", true)]
    [InlineData("tutor.example.org", false)]
    [InlineData("attacker.example:8000", false)]
    [InlineData("", false)]
    public void Only_loopback_host_names_are_loopback_hosts(string host, bool allowed) =>
        Assert.Equal(allowed, McpAccessHandler.IsLoopbackHost(new HostString(host)));

    [Theory]
    [InlineData("Forwarded", true)]
    [InlineData("X-Forwarded-For", true)]
    [InlineData("x-forwarded-host", true)]
    [InlineData("X-Forwarded-Prefix", true)]
    [InlineData("X-Request-Id", false)]
    [InlineData("Forwarded-Ish", false)]
    public void Forwarding_headers_are_recognised(string header, bool forwarded)
    {
        var headers = new HeaderDictionary { [header] = "x" };

        Assert.Equal(forwarded, McpAccessHandler.HasForwardingHeaders(headers));
    }

    [Fact]
    public void Without_a_token_the_proxied_public_host_request_is_refused_with_a_sentence_naming_the_token()
    {
        var http = Request("tutor.example.org", IPAddress.Loopback);
        http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";

        var refusal = McpAccessHandler.Check(http, new ServerOptions { PublicUrl = PublicUrl });

        Assert.Equal(StatusCodes.Status403Forbidden, refusal?.StatusCode);
        Assert.Contains("set TUTORCLAW_MCP_TOKEN", refusal!.Message);
    }

    [Fact]
    public void Without_a_token_a_plain_loopback_request_is_allowed() =>
        Assert.Null(McpAccessHandler.Check(Request("127.0.0.1:8000", IPAddress.Loopback), new ServerOptions { PublicUrl = PublicUrl }));

    [Fact]
    public void With_a_token_an_unauthenticated_request_is_401() =>
        Assert.Equal(
            StatusCodes.Status401Unauthorized,
            McpAccessHandler.Check(Request("localhost", IPAddress.Loopback), new ServerOptions { McpToken = "fake-token" })?.StatusCode);

    [Fact]
    public void With_a_token_an_authenticated_proxied_request_for_the_public_host_is_allowed()
    {
        var http = Request("tutor.example.org", IPAddress.Loopback);
        http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")], McpTokenAuthenticationHandler.SchemeName));

        Assert.Null(McpAccessHandler.Check(http, new ServerOptions { PublicUrl = PublicUrl, McpToken = "fake-token" }));
    }

    [Fact]
    public void With_a_token_an_identity_from_another_scheme_is_401()
    {
        var http = Request("localhost", IPAddress.Loopback);
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")], "Cookies"));

        Assert.Equal(StatusCodes.Status401Unauthorized, McpAccessHandler.Check(http, new ServerOptions { McpToken = "fake-token" })?.StatusCode);
    }

    [Theory]
    [InlineData("s3cret-token", true)]
    [InlineData("s3cret-tokeN", false)]
    [InlineData("s3cret-token-longer", false)]
    [InlineData("", false)]
    public void Tokens_must_match_exactly(string presented, bool matches) =>
        Assert.Equal(matches, McpTokenAuthenticationHandler.TokensMatch(presented, "s3cret-token"));

    private static DefaultHttpContext Request(string host, IPAddress remote)
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString(host);
        http.Connection.RemoteIpAddress = remote;
        return http;
    }
}
