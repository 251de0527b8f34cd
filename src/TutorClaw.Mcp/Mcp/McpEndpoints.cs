namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// /mcp: MCP Streamable HTTP served by ModelContextProtocol.AspNetCore (<c>MapMcp</c>) on the shared
/// Kestrel listener, behind our access policy (<see cref="McpAccessHandler"/>) and body limit
/// (<see cref="McpBodyLimitMiddleware"/>).
/// </summary>
public static class McpEndpoints
{
    public const string Path = "/mcp";

    /// <summary>The largest POST body read; anything longer is answered 413 without being parsed.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>With stateful sessions on, a session with no request in flight for this long is ended.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static IEndpointConventionBuilder MapMcpDoor(this WebApplication app)
    {
        // Runs after routing, authentication and authorization (WebApplication puts those first),
        // so a refused request is answered before its body is read.
        app.UseMiddleware<McpBodyLimitMiddleware>();
        return app.MapMcp(Path)
            .RequireAuthorization(McpAccessHandler.PolicyName)
            .WithMetadata(new McpBodyLimit(MaxRequestBodyBytes));
    }
}
