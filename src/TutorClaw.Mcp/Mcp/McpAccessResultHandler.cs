using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// Answers a /mcp request that <see cref="McpAccessHandler"/> refused: 401 through the bearer scheme's
/// challenge (<c>WWW-Authenticate: Bearer</c>), 403 with the handler's sentence, both as a JSON-RPC
/// error body, and one log line. Every other authorization result takes the framework's default path.
/// </summary>
public sealed class McpAccessResultHandler(ILogger<McpAccessResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.Features.Get<McpRefusal>() is not { } refusal)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        McpHttpLog.RequestRefused(
            logger, context.Request.Method, context.Connection.RemoteIpAddress?.ToString() ?? "(none)", refusal.StatusCode, refusal.Message);
        if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
        {
            await context.ChallengeAsync(McpTokenAuthenticationHandler.SchemeName);
            return;
        }
        await new JsonRpcErrorResult(refusal.StatusCode, JsonRpcErrorResult.ServerError, refusal.Message).ExecuteAsync(context);
    }
}
