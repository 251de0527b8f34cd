using ModelContextProtocol.AspNetCore;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Tests.Mcp;

public sealed class McpSessionModeTests
{
    [Fact]
    public void Stateless_is_the_default()
    {
        var http = new HttpServerTransportOptions();

        McpServices.ConfigureSessions(http, stateful: false);

        Assert.Equal(HttpServerSessionMode.Stateless, http.SessionMode);
    }

    [Fact]
    public void Stateful_sessions_end_after_the_idle_timeout()
    {
        var http = new HttpServerTransportOptions();

        McpServices.ConfigureSessions(http, stateful: true);

        Assert.Equal(HttpServerSessionMode.Stateful, http.SessionMode);
#pragma warning disable MCP9006 // Reads back the stateful-only setting McpServices sets; see the reason there.
        Assert.Equal(McpEndpoints.IdleTimeout, http.IdleTimeout);
#pragma warning restore MCP9006
    }
}
