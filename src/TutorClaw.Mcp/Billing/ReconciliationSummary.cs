namespace TutorClaw.Mcp.Billing;

/// <summary>What one reconciliation run did.</summary>
public sealed record ReconciliationSummary(
    int Pages,
    int Seen,
    int Applied,
    int AlreadyApplied,
    int Unmatched,
    int UnmatchedResolved,
    bool Completed,
    string? Failure)
{
    public override string ToString() =>
        $"seen {Seen}, applied {Applied}, already applied {AlreadyApplied}, unmatched {Unmatched}, " +
        $"earlier unmatched now applied {UnmatchedResolved}, pages {Pages}" + (Completed ? "" : $"; stopped early: {Failure}");
}
