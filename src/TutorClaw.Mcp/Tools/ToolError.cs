using System.ComponentModel;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// The structuredContent of every error result (isError true), beside the same sentence as text:
/// <c>message</c> is the one sentence to relay to the learner; <c>operator_hint</c> says what
/// whoever runs the server must fix, and is null when the learner or the agent can act alone.
/// </summary>
[Description("An error (isError is true): relay message to the learner as it is; operator_hint, when not null, is for whoever runs the server, not for the learner.")]
public sealed record ToolError(
    [property: Description("One sentence to relay to the learner as it is.")] string Message,
    [property: Description("What the server's operator must fix; null when nothing needs the operator. Never tell it to the learner.")] string? OperatorHint);
