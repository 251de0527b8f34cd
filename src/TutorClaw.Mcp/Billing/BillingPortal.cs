using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// get_billing_portal_url's rules: a Stripe Customer Portal session for the learner's Stripe
/// Customer (learned from their subscription's events), returning to the public URL, so the
/// learner can cancel the monthly plan or change their card. Each call makes a new, short-lived session.
/// </summary>
public sealed class BillingPortal(ILearnerRepository learners, IStripeApi stripe, IOptions<StripeOptions> stripeOptions, IOptions<ServerOptions> serverOptions)
{
    public async Task<BillingPortalResult> CreateAsync(string? learnerIdText, CancellationToken cancellationToken)
    {
        if (!LearnerId.TryParse(learnerIdText, out var id))
        {
            return new BillingPortalResult.InvalidLearnerId();
        }
        if (stripeOptions.Value.SecretKey is null)
        {
            return new BillingPortalResult.NotConfigured();
        }
        var learner = await learners.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (learner is null)
        {
            return new BillingPortalResult.UnknownLearner(id.Value);
        }
        if (learner.StripeCustomerId is not { } customer)
        {
            return new BillingPortalResult.NoCustomer();
        }
        var returnUrl = serverOptions.Value.PublicUrl.ToString().TrimEnd('/') + "/";
        var session = await stripe.CreateBillingPortalSessionAsync(customer, returnUrl, cancellationToken).ConfigureAwait(false);
        return session.IsSuccess
            ? new BillingPortalResult.Link(session.Value.Url)
            : new BillingPortalResult.StripeFailed(session.Failure);
    }
}

public abstract record BillingPortalResult
{
    public sealed record Link(string Url) : BillingPortalResult;

    public sealed record InvalidLearnerId : BillingPortalResult;

    public sealed record UnknownLearner(string LearnerId) : BillingPortalResult;

    /// <summary>The learner has never had a subscription, so Stripe has no customer for them.</summary>
    public sealed record NoCustomer : BillingPortalResult;

    public sealed record NotConfigured : BillingPortalResult;

    public sealed record StripeFailed(StripeFailure Failure) : BillingPortalResult;
}
