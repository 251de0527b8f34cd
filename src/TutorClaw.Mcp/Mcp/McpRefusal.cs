namespace TutorClaw.Mcp.Mcp;

/// <summary>Why <see cref="McpAccessHandler"/> refused a /mcp request: the status and the one sentence answered.</summary>
public sealed record McpRefusal(int StatusCode, string Message);
