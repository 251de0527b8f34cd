namespace TutorClaw.Mcp.Learners;

/// <summary>What put a learner on the tier they are on now.</summary>
public enum TierChangeCause
{
    /// <summary>Free since registration; nothing has changed it.</summary>
    Registered,

    /// <summary>A payment completed (or a dispute was won).</summary>
    Payment,

    Refund,
    Dispute,
    Grant,
    Revoke,

    /// <summary>The monthly plan's subscription is active (or past_due within its grace).</summary>
    Subscription,

    /// <summary>The subscription ended, or its payment failed and the grace ran out.</summary>
    SubscriptionEnded,

    /// <summary>A person edited <c>tier</c> in the learner's file.</summary>
    HandEdit,
}
