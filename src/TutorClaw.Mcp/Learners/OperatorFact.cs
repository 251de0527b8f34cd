namespace TutorClaw.Mcp.Learners;

/// <summary>
/// One operator decision in a learner's history: when, what, the tier it set, and why. Facts only
/// accumulate; the last one is the decision in force (see <see cref="TierRules"/>).
/// </summary>
/// <param name="At">When it was decided: the command's time, or for a hand edit the time the file was edited.</param>
/// <param name="Reason">The operator's words (<c>--reason</c>), if any.</param>
public sealed record OperatorFact(DateTimeOffset At, OperatorAction Action, Tier Tier, string? Reason = null);
