using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>What applying one payment event did.</summary>
public abstract record ApplyOutcome
{
    private ApplyOutcome()
    {
    }

    /// <summary>Stored; the learner's tier before and after (often the same).</summary>
    public sealed record Applied(LearnerId Learner, Tier Before, Tier After) : ApplyOutcome;

    /// <summary>This event id was applied before, or it adds nothing we did not know: nothing written.</summary>
    public sealed record AlreadyApplied(LearnerId Learner) : ApplyOutcome;

    /// <summary>No learner could be found; the event is kept in the unmatched-payments log.</summary>
    public sealed record Unmatched(string Reason) : ApplyOutcome;

    public string Describe() => this switch
    {
        Applied { Before: var b, After: var a } when a != b => $"applied, tier {b} -> {a}".ToLowerInvariant(),
        Applied => "applied",
        AlreadyApplied => "already applied",
        Unmatched u => "unmatched: " + u.Reason,
        _ => "unknown",
    };
}
