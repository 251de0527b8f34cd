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

    public sealed record StripeFailed(StripeFailure Failure) : UpgradeResult;
}
