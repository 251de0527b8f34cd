using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>Every way get_upgrade_url can end; the tool turns each into a result or a sentence.</summary>
public abstract record UpgradeResult
{
    private UpgradeResult()
    {
    }

    /// <summary>A payment link; <paramref name="Reused"/> when it is the learner's still-open one.</summary>
    public sealed record Link(string Url, string SessionId, DateTimeOffset ExpiresAt, bool Reused) : UpgradeResult;

    public sealed record NotConfigured(IReadOnlyList<string> MissingVariables) : UpgradeResult;

    public sealed record InvalidLearnerId : UpgradeResult;

    public sealed record UnknownLearner(string LearnerId) : UpgradeResult;

    public sealed record AlreadyPaid(DateTimeOffset? Since) : UpgradeResult;

    /// <summary>A delayed payment (bank debit) is still settling; a second payment would charge twice.</summary>
    public sealed record PaymentPending(DateTimeOffset Since) : UpgradeResult;

    /// <summary>The learner already has a monthly plan that is not over (past_due after its grace,
    /// paused, or its first payment still confirming): a second subscription would charge twice.</summary>
    public sealed record SubscriptionLive(string Status) : UpgradeResult;

    /// <summary>The paid price cannot be sold as configured (<see cref="PlanChoice.Misconfigured"/>).</summary>
    public sealed record PriceMisconfigured(string OperatorHint) : UpgradeResult;

    public sealed record StripeFailed(StripeFailure Failure) : UpgradeResult;
}
