namespace TutorClaw.Mcp.Hosting;

public enum LaunchMode
{
    /// <summary>Kestrel only: webhook, /mcp, health and checkout pages.</summary>
    Server,

    /// <summary>Kestrel plus MCP JSON-RPC on stdin/stdout (Claude Code, Claude Desktop, MCP Inspector).</summary>
    Stdio,

    /// <summary>A one-off command (reconcile, backup…) against the composed services, then exit; no port is opened.</summary>
    Command,
}
