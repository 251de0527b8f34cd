using System.Net;
using Microsoft.AspNetCore.Http;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Tests.Mcp;

public sealed class McpRequestGuardTests
{
    private static readonly Uri PublicUrl = new("https://tutor.example.org");

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:6274")]
    [InlineData("https://LOCALHOST:8443")]
    [InlineData("http://127.0.0.1:8000")]
    [InlineData("http://[::1]:3000")]
    [InlineData("https://tutor.example.org")]
    [InlineData("https://tutor.example.org:443")]
    public void Loopback_origins_and_the_public_origin_are_allowed(string origin) =>
        Assert.True(McpRequestGuard.IsAllowedOrigin(origin, PublicUrl));

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
        Assert.False(McpRequestGuard.IsAllowedOrigin(origin, PublicUrl));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("203.0.113.7", false)]
    [InlineData("::ffff:203.0.113.7", false)]
    public void Loopback_is_judged_by_the_peer_address(string address, bool loopback) =>
        Assert.Equal(loopback, McpRequestGuard.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public void A_connection_without_an_address_is_not_loopback() =>
        Assert.False(McpRequestGuard.IsLoopback(null));

    [Theory]
    [InlineData("localhost:8000", true)]
    [InlineData("127.0.0.1:8000", true)]
    [InlineData("[::1]:8000", true)]
    [InlineData("tutor.example.org", true)]
    [InlineData("attacker.example:8000", false)]
    [InlineData("", false)]
    public void Only_loopback_hosts_and_the_public_host_are_allowed_without_a_token(string host, bool allowed) =>
        Assert.Equal(allowed, McpRequestGuard.IsAllowedHost(new HostString(host), PublicUrl));

    [Theory]
    [InlineData("s3cret-token", true)]
    [InlineData("s3cret-tokeN", false)]
    [InlineData("s3cret-token-longer", false)]
    [InlineData("", false)]
    public void Tokens_must_match_exactly(string presented, bool matches) =>
        Assert.Equal(matches, McpRequestGuard.TokensMatch(presented, "s3cret-token"));
}
