namespace TutorClaw.Mcp.Learners;

/// <summary>
/// What Stripe has told us about one checkout, as facts that only accumulate. Stripe does not
/// deliver events in order, so the status is derived from the set of facts with a fixed
/// precedence instead of being moved step by step: whatever order the facts arrive in, the
/// result is the same, and a late, older event can never undo a later one (a redelivered
/// "completed" after a refund finds the refund fact and changes nothing).
/// </summary>
public sealed record CheckoutFacts
{
    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset? PendingAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? ExpiredAt { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public DateTimeOffset? RefundedAt { get; init; }
    public DisputeFact? Dispute { get; init; }

    /// <summary>Status by precedence: a refund is final; an open or lost dispute suspends access;
    /// payment beats every earlier stage; the rest mark how an unpaid checkout ended.</summary>
    public CheckoutStatus Status => this switch
    {
        { RefundedAt: not null } => CheckoutStatus.Refunded,
        { Dispute: { IsWon: false } } => CheckoutStatus.Disputed,
        { PaidAt: not null } => CheckoutStatus.Paid,
        { FailedAt: not null } => CheckoutStatus.Failed,
        { PendingAt: not null } => CheckoutStatus.Pending,
        { CanceledAt: not null } => CheckoutStatus.Canceled,
        { ExpiredAt: not null } => CheckoutStatus.Expired,
        _ => CheckoutStatus.Open,
    };
}
