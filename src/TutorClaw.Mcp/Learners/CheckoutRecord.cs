namespace TutorClaw.Mcp.Learners;

/// <summary>
/// One Checkout Session in a learner's billing history. A record may begin life from a charge
/// event (a refund that overtook its "completed"), in which case only the payment intent is
/// known until the session's own event arrives.
/// </summary>
public sealed record CheckoutRecord
{
    public string? SessionId { get; init; }
    public string? PaymentIntentId { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public long? AmountTotal { get; init; }
    public string? Currency { get; init; }

    /// <summary>Cumulative refunded amount as Stripe last reported it (partial refunds leave access alone).</summary>
    public long? AmountRefunded { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public CheckoutFacts Facts { get; init; } = new();

    /// <summary>Derived from <see cref="Facts"/>; written to the document for people and tools that read it.</summary>
    public CheckoutStatus Status => Facts.Status;

    public bool IsUsableAt(DateTimeOffset now, TimeSpan margin) =>
        Status == CheckoutStatus.Open && Url is not null && ExpiresAt is { } expires && expires - margin > now;
}
