using Microsoft.AspNetCore.Authorization;

namespace TutorClaw.Mcp.Mcp;

/// <summary>The /mcp access rules of <see cref="McpAccessHandler"/>, as an authorization requirement.</summary>
public sealed class McpAccessRequirement : IAuthorizationRequirement;
