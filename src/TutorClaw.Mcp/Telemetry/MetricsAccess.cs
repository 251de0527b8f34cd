using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Telemetry;

/// <summary>
/// Who may read /metrics: a loopback client, or any client presenting TUTORCLAW_MCP_TOKEN as a
/// bearer token. Beyond loopback without a configured token: 403; with one, a missing or wrong
/// token: 401. (The same loopback and constant-time token rules as /mcp.)
/// </summary>
public static class MetricsAccess
{
    public static void Guard(IApplicationBuilder branch) => branch.Use(async (context, next) =>
    {
        var status = Refusal(context, context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.McpToken);
        if (status is null)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = status.Value;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{McpTokenAuthenticationHandler.Realm}\"";
        }
        await context.Response.WriteAsync(status == StatusCodes.Status401Unauthorized
            ? "Unauthorized: send the TUTORCLAW_MCP_TOKEN as an Authorization: Bearer header.\n"
            : "Forbidden: without TUTORCLAW_MCP_TOKEN, /metrics serves loopback clients only.\n");
    });

    internal static int? Refusal(HttpContext context, string? token)
    {
        if (McpAccessHandler.IsLoopback(context.Connection.RemoteIpAddress))
        {
            return null;
        }
        if (token is null)
        {
            return StatusCodes.Status403Forbidden;
        }
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && McpTokenAuthenticationHandler.TokensMatch(header[scheme.Length..].Trim(), token)
            ? null
            : StatusCodes.Status401Unauthorized;
    }
}
