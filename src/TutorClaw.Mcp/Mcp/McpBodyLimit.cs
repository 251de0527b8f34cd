namespace TutorClaw.Mcp.Mcp;

/// <summary>Endpoint metadata: <see cref="McpBodyLimitMiddleware"/> reads at most this many body bytes.</summary>
public sealed record McpBodyLimit(long MaxBytes);
