namespace TutorClaw.Mcp.Billing;

/// <summary>A verified payment event we could not tie to a learner, kept for an operator and for
/// the next reconciliation run. Holds our reduced event (ids and amounts), never personal data.</summary>
public sealed record UnmatchedPayment(PaymentEvent Event, string Reason, DateTimeOffset RecordedAt);
