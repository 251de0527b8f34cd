namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// Limits of the /mcp door. Not read from SPEC §2's variables: these are engineering bounds,
/// changed in code (or by a test host), not by an operator.
/// </summary>
public sealed class McpHttpOptions
{
    /// <summary>A session with no request in flight for this long is ended and its id forgotten.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest POST body read; anything longer is answered 413 without being parsed.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;
}
