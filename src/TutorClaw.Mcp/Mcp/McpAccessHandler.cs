using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// Who may use /mcp, checked in this order (the transport security of the MCP spec, plus the proxy rule):
/// <list type="number">
/// <item>An Origin header, when present, must be a loopback origin, or with a token TUTORCLAW_PUBLIC_URL's origin; else 403.</item>
/// <item>With TUTORCLAW_MCP_TOKEN set: the request must have authenticated with
/// <see cref="McpTokenAuthenticationHandler"/>; else 401.</item>
/// <item>Without it: no <c>Forwarded</c> / <c>X-Forwarded-*</c> header (a proxy on this host makes every
/// remote client look local), a loopback peer address and a loopback Host name (against DNS rebinding); else 403.</item>
/// </list>
/// A connection with no IP address (an in-process test server, say) is not loopback: the rule fails closed.
/// The refusal is left in the request's features for <see cref="McpAccessResultHandler"/> to answer.
/// </summary>
public sealed class McpAccessHandler(IOptions<ServerOptions> options) : AuthorizationHandler<McpAccessRequirement>
{
    public const string PolicyName = "TutorClawMcpAccess";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, McpAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            context.Fail();
            return Task.CompletedTask;
        }
        if (Check(http, options.Value) is { } refusal)
        {
            http.Features.Set(refusal);
            context.Fail(new AuthorizationFailureReason(this, refusal.Message));
        }
        else
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    internal static McpRefusal? Check(HttpContext http, ServerOptions server)
    {
        var request = http.Request;
        var hasToken = server.McpToken is not null;
        if (request.Headers.Origin is { Count: > 0 } origin && !IsAllowedOrigin(origin.ToString(), server.PublicUrl, hasToken))
        {
            return Forbidden("Forbidden: this Origin may not use /mcp.");
        }
        if (hasToken)
        {
            return http.User.Identity is { IsAuthenticated: true, AuthenticationType: McpTokenAuthenticationHandler.SchemeName }
                ? null
                : new McpRefusal(StatusCodes.Status401Unauthorized, "Unauthorized: send the TUTORCLAW_MCP_TOKEN as an Authorization: Bearer header.");
        }
        if (HasForwardingHeaders(request.Headers))
        {
            return Forbidden("Forbidden: this request came through a proxy (Forwarded or X-Forwarded-* header); " +
                "set TUTORCLAW_MCP_TOKEN to serve /mcp beyond this machine.");
        }
        if (!IsLoopback(http.Connection.RemoteIpAddress))
        {
            return Forbidden("Forbidden: without a token /mcp serves loopback clients only; " +
                "set TUTORCLAW_MCP_TOKEN to serve other clients.");
        }
        if (!IsLoopbackHost(request.Host))
        {
            return Forbidden("Forbidden: without a token /mcp answers only to a loopback Host name; " +
                "set TUTORCLAW_MCP_TOKEN to serve it under another name.");
        }
        return null;
    }

    /// <summary>http(s) on localhost, 127.0.0.1 or [::1], any port; with a token, also exactly the public URL's origin.</summary>
    internal static bool IsAllowedOrigin(string origin, Uri publicUrl, bool hasToken)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }
        if (IsLoopbackName(uri.Host))
        {
            return true;
        }
        return hasToken
            && string.Equals(uri.Scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, publicUrl.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == publicUrl.Port;
    }

    internal static bool IsLoopbackHost(HostString host) => host.HasValue && IsLoopbackName(host.Host);

    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary><c>Forwarded</c> (RFC 7239) or any <c>X-Forwarded-*</c> header: the request passed a proxy.</summary>
    internal static bool HasForwardingHeaders(IHeaderDictionary headers) =>
        headers.Keys.Any(name => name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase));

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host is "127.0.0.1" or "[::1]" or "::1";

    private static McpRefusal Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);
}
