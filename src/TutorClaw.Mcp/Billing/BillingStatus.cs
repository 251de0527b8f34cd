using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>What get_learner_tier reports: the tier, the facts behind it, and a sentence to relay.</summary>
public sealed record BillingStatus(
    string LearnerId,
    Tier Tier,
    DateTimeOffset TierChangedAt,
    int FreeChapters,
    OpenCheckout? OpenCheckout,
    PaymentOutcome? LastPayment,
    string Summary);

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
