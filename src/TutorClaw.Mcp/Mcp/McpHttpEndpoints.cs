using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// /mcp: MCP Streamable HTTP on the shared Kestrel listener, built on the SDK's
/// StreamableHttpServerTransport (there is no ModelContextProtocol.AspNetCore here).
/// </summary>
public static class McpHttpEndpoints
{
    public const string Path = "/mcp";

    public static IServiceCollection AddMcpHttp(this IServiceCollection services)
    {
        services.AddOptions<McpHttpOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<McpSessionStore>();
        services.AddSingleton<McpHttpHandler>();
        services.AddHostedService<McpSessionReaper>();
        return services;
    }

    /// <summary>POST, GET and DELETE /mcp, all behind <see cref="McpRequestGuard"/>; other methods get 405.</summary>
    public static RouteGroupBuilder MapMcp(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Path).AddEndpointFilter<McpRequestGuard>();
        group.MapPost("", (HttpContext context, McpHttpHandler handler) => handler.PostAsync(context));
        group.MapGet("", (HttpContext context, McpHttpHandler handler) => handler.GetAsync(context));
        group.MapDelete("", (HttpContext context, McpHttpHandler handler) => handler.DeleteAsync(context));
        return group;
    }
}
