namespace TutorClaw.Mcp.Billing;

/// <summary>
/// How far reconciliation has got. <see cref="CompleteThrough"/>: every event created before it
/// has been seen by a finished run. <see cref="Pending"/>: a run that stopped part-way (Stripe
/// failed, the process died) and where to resume it.
/// </summary>
public sealed record ReconciliationCursor(DateTimeOffset? CompleteThrough, PendingRun? Pending);

/// <summary>A run in progress: its lower bound, where it started (its upper bound), and the last
/// event id of the last page fully applied (Stripe's <c>starting_after</c> for the next page).</summary>
public sealed record PendingRun(DateTimeOffset Floor, DateTimeOffset StartedAt, string? StartingAfter, int PagesDone);
