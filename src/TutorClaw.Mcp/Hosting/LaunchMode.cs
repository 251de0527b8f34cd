namespace TutorClaw.Mcp.Hosting;

public enum LaunchMode
{
    /// <summary>Kestrel only: webhook, /mcp, health and checkout pages.</summary>
    Server,

    /// <summary>Kestrel plus MCP JSON-RPC on stdin/stdout (Claude Code, Claude Desktop, MCP Inspector).</summary>
    Stdio,

    /// <summary>A one-off catch-up run against Stripe's event log, then exit.</summary>
    Reconcile,

    /// <summary>An operator's grant of the paid tier to one learner, then exit.</summary>
    Grant,

    /// <summary>An operator's revoke of the paid tier from one learner, then exit.</summary>
    Revoke,

    /// <summary>One line per learner with their tier, then exit.</summary>
    Learners,
}
