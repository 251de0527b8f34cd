using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>What get_learner_tier reports: the tier, the facts behind it, and a sentence to relay.</summary>
public sealed record BillingStatus(
    string LearnerId,
    Tier Tier,
    DateTimeOffset? TierChangedAt,
    LastChange LastChange,
    int FreeChapters,
    OpenCheckout? OpenCheckout,
    PaymentOutcome? LastPayment,
    string Summary)
{
    /// <summary>one_time (a paid checkout), monthly (a subscription, current or ended), or null: never bought.</summary>
    public string? Plan { get; init; }

    /// <summary>When the monthly plan renews (its period end), while it renews.</summary>
    public DateTimeOffset? RenewsAt { get; init; }

    /// <summary>When monthly access ends (cancelled at period end, or past_due grace end), or ended.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    public bool CancelAtPeriodEnd { get; init; }

    /// <summary>Set while the subscription's payment has failed and its grace runs.</summary>
    public PastDue? PastDue { get; init; }
}

/// <summary>A failed subscription payment: since when, and until when the paid tier holds.</summary>
public sealed record PastDue(DateTimeOffset Since, DateTimeOffset GraceEndsAt);

/// <summary>What put the learner on their tier (<see cref="TierChange"/>), for get_learner_tier.</summary>
/// <param name="Cause">registered, payment, refund, dispute, grant, revoke or hand_edit.</param>
/// <param name="Description">E.g. "paid: granted by the operator on 3 Dec 2026 (scholarship)".</param>
public sealed record LastChange(TierChangeCause Cause, DateTimeOffset? At, string? Reason, string Description)
{
    public static LastChange From(TierChange change) => new(change.Cause, change.At, change.Reason, change.Description);
}

/// <summary>A checkout link the learner can still use.</summary>
public sealed record OpenCheckout(string Url, string SessionId, DateTimeOffset ExpiresAt);

/// <summary>How the learner's most recent checkout that went beyond "open" ended up, with Stripe's ids.</summary>
public sealed record PaymentOutcome(
    CheckoutStatus Status,
    DateTimeOffset At,
    string? SessionId,
    string? PaymentIntentId,
    string? DisputeId,
    string? DisputeStatus);
