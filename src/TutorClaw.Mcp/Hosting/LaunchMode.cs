namespace TutorClaw.Mcp.Hosting;

public enum LaunchMode
{
    /// <summary>Kestrel only: webhook, /mcp, health and checkout pages.</summary>
    Server,

    /// <summary>Kestrel plus MCP JSON-RPC on stdin/stdout (Claude Code, Claude Desktop, MCP Inspector).</summary>
    Stdio,

    /// <summary>A one-off catch-up run against Stripe's event log, then exit.</summary>
    Reconcile,
}
