using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// The transport security of the MCP spec, applied to every /mcp request before it reaches a session:
/// <list type="number">
/// <item>An Origin header, when present, must be a loopback origin or TUTORCLAW_PUBLIC_URL's (DNS rebinding); else 403.</item>
/// <item>With TUTORCLAW_MCP_TOKEN set: <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time; else 401.</item>
/// <item>Without it: the peer must be on loopback and the Host header a loopback name (or the public URL's
/// host), so a rebound DNS name cannot reach the tools from a browser; else 403.</item>
/// </list>
/// A connection with no IP address (an in-process test server, say) is not loopback: the guard fails closed.
/// </summary>
public sealed class McpRequestGuard(IOptions<ServerOptions> options, ILogger<McpRequestGuard> logger) : IEndpointFilter
{
    public const string Realm = "tutorclaw";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var refusal = Check(http);
        if (refusal is null)
        {
            return await next(context);
        }
        McpHttpLog.RequestRefused(
            logger, http.Request.Method, http.Connection.RemoteIpAddress?.ToString() ?? "(none)", refusal.StatusCode, refusal.Message);
        return refusal;
    }

    private JsonRpcErrorResult? Check(HttpContext http)
    {
        var server = options.Value;
        var request = http.Request;
        if (request.Headers.Origin is { Count: > 0 } origin && !IsAllowedOrigin(origin.ToString(), server.PublicUrl))
        {
            return Forbidden("Forbidden: this Origin may not use /mcp.");
        }
        if (server.McpToken is { } token)
        {
            if (!TryReadBearer(request, out var presented))
            {
                http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\"";
                return Unauthorized("Unauthorized: send the TUTORCLAW_MCP_TOKEN as an Authorization: Bearer header.");
            }
            if (!TokensMatch(presented, token))
            {
                http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\", error=\"invalid_token\"";
                return Unauthorized("Unauthorized: the bearer token is not valid.");
            }
            return null;
        }
        if (!IsLoopback(http.Connection.RemoteIpAddress))
        {
            return Forbidden("Forbidden: without TUTORCLAW_MCP_TOKEN, /mcp serves loopback clients only.");
        }
        if (!IsAllowedHost(request.Host, server.PublicUrl))
        {
            return Forbidden("Forbidden: without TUTORCLAW_MCP_TOKEN, /mcp answers only to a loopback Host.");
        }
        return null;
    }

    /// <summary>http(s) on localhost, 127.0.0.1 or [::1], any port; or exactly the public URL's origin.</summary>
    internal static bool IsAllowedOrigin(string origin, Uri publicUrl)
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
        return string.Equals(uri.Scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, publicUrl.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == publicUrl.Port;
    }

    internal static bool IsAllowedHost(HostString host, Uri publicUrl) =>
        host.HasValue
        && (IsLoopbackName(host.Host) || string.Equals(host.Host, publicUrl.Host, StringComparison.OrdinalIgnoreCase));

    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Hashing both sides first makes the comparison's time independent of the token's length too.</summary>
    internal static bool TokensMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host is "127.0.0.1" or "[::1]" or "::1";

    private static bool TryReadBearer(HttpRequest request, out string token)
    {
        const string scheme = "Bearer ";
        token = "";
        if (request.Headers.Authorization is not { Count: 1 } values
            || values[0] is not { } header
            || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        token = header[scheme.Length..].Trim();
        return token.Length > 0;
    }

    private static JsonRpcErrorResult Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, JsonRpcErrorResult.ServerError, message);

    private static JsonRpcErrorResult Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, JsonRpcErrorResult.ServerError, message);
}
