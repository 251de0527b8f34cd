namespace TutorClaw.Mcp.Mcp;

/// <summary>The /mcp door's recurring log lines. None of them carries a token or an Authorization header.</summary>
internal static partial class McpHttpLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} /mcp from {RemoteIp} with {StatusCode}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string method, string remoteIp, int statusCode, string reason);
}
