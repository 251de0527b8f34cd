using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// The /mcp bearer scheme: with TUTORCLAW_MCP_TOKEN set, <c>Authorization: Bearer &lt;token&gt;</c>
/// authenticates, compared in constant time; a challenge is 401 with <c>WWW-Authenticate: Bearer</c>.
/// Without the token nothing authenticates here and <see cref="McpAccessHandler"/> applies the
/// loopback rule instead.
/// </summary>
public sealed class McpTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ServerOptions> server)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "TutorClawMcpToken";
    public const string Realm = "tutorclaw";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (server.Value.McpToken is not { } token || !TryReadBearer(Request, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!TokensMatch(presented, token))
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not valid."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "mcp-token-holder")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = TryReadBearer(Request, out _);
        Response.Headers.WWWAuthenticate = presented
            ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\""
            : $"Bearer realm=\"{Realm}\"";
        var message = presented
            ? "Unauthorized: the bearer token is not valid."
            : "Unauthorized: send the TUTORCLAW_MCP_TOKEN as an Authorization: Bearer header.";
        return new JsonRpcErrorResult(StatusCodes.Status401Unauthorized, JsonRpcErrorResult.ServerError, message).ExecuteAsync(Context);
    }

    /// <summary>Hashing both sides first makes the comparison's time independent of the token's length too.</summary>
    internal static bool TokensMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

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
}
