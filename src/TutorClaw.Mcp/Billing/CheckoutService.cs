using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// get_upgrade_url's rules (SPEC §4): one open Checkout Session per learner, reused while it is
/// usable; otherwise a new one, created with a deterministic Idempotency-Key so that a retried
/// request, or two agents asking at once, end with one session, not two. The learner's record
/// is written only after Stripe answered with a session: any failure leaves it untouched.
/// The paid price decides the mode (<see cref="PaidPlan"/>): a one-time price opens mode=payment,
/// a recurring one mode=subscription for the learner's Stripe Customer, made once (its own
/// deterministic Idempotency-Key, so concurrent calls make one) and kept on the learner.
/// </summary>
public sealed partial class CheckoutService(
    ILearnerRepository learners,
    UpgradeLinks links,
    PaidPlan plan,
    IStripeApi stripe,
    IOptions<StripeOptions> stripeOptions,
    IOptions<ServerOptions> serverOptions,
    TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    public async Task<UpgradeResult> GetOrCreateAsync(string? learnerIdText, CancellationToken cancellationToken)
    {
        if (!LearnerId.TryParse(learnerIdText, out var id))
        {
            return new UpgradeResult.InvalidLearnerId();
        }
        var options = stripeOptions.Value;
        if (!options.IsConfigured)
        {
            var missing = MissingVariables(options);
            LogNotConfigured(string.Join(" and ", missing));
            return new UpgradeResult.NotConfigured(missing);
        }
        var learner = await learners.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (learner is null)
        {
            return new UpgradeResult.UnknownLearner(id.Value);
        }
        if (Refusal(learner) is { } refusal)
        {
            return refusal;
        }

        // Stripe's cancel page leads back to the learner's stable link, so the token exists first.
        var token = learner.UpgradeToken ?? await links.EnsureAsync(id, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return new UpgradeResult.UnknownLearner(id.Value);
        }
        var choice = await plan.ChooseAsync(cancellationToken).ConfigureAwait(false);
        switch (choice)
        {
            case PlanChoice.Misconfigured wrong:
                return new UpgradeResult.PriceMisconfigured(wrong.OperatorHint);
            case PlanChoice.Unavailable unavailable:
                return new UpgradeResult.StripeFailed(unavailable.Failure);
        }
        var mode = ((PlanChoice.Sell)choice).Mode;
        string? customerId = null;
        if (mode == CheckoutMode.Subscription)
        {
            var customer = await EnsureCustomerAsync(learner, cancellationToken).ConfigureAwait(false);
            if (customer.Failure is { } failure)
            {
                return failure;
            }
            customerId = customer.Id;
        }
        var request = BuildRequest(id, options.PaidPriceId!, token, mode, customerId);
        var created = await stripe.CreateCheckoutSessionAsync(request, IdempotencyKey(learner, request), cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            // Stripe/ has logged the failed call (one line, with what to fix).
            return new UpgradeResult.StripeFailed(created.Failure);
        }
        var session = created.Value;
        if (session.Url is null || session.ExpiresAt is null)
        {
            return new UpgradeResult.StripeFailed(new StripeFailure(StripeFailureKind.ServerError,
                "Stripe created a checkout session without a payment page link; please try again."));
        }

        var now = clock.GetUtcNow();
        var opened = new CheckoutRecord
        {
            SessionId = session.Id,
            Url = session.Url,
            ExpiresAt = session.ExpiresAt,
            AmountTotal = session.AmountTotal,
            Currency = session.Currency,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var stored = await learners.UpdateAsync(id, l => EntitlementRules.RecordOpenedCheckout(l, opened), cancellationToken).ConfigureAwait(false);
        var reused = stored?.Checkouts.FirstOrDefault(c => c.SessionId == session.Id) is { } record && record.CreatedAt != now;
        LogCheckoutCreated(id.Value, session.Id);
        return new UpgradeResult.Link(session.Url, session.Id, session.ExpiresAt.Value, reused);
    }

    private UpgradeResult? Refusal(Learner learner)
    {
        var now = clock.GetUtcNow();
        if (TierRules.Current(learner, now) == Tier.Paid)
        {
            return new UpgradeResult.AlreadyPaid(learner.TierChangedAt);
        }
        if (learner.Subscriptions.FirstOrDefault(s => s.IsLive) is { } live)
        {
            return new UpgradeResult.SubscriptionLive(live.Status);
        }
        if (learner.Checkouts.FirstOrDefault(c => c.Status == CheckoutStatus.Pending) is { } pending)
        {
            return new UpgradeResult.PaymentPending(pending.Facts.PendingAt ?? pending.UpdatedAt);
        }
        var open = learner.Checkouts
            .Where(c => c.IsUsableAt(now, BillingStatusReporter.UsableLinkMargin))
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefault();
        return open is null ? null : new UpgradeResult.Link(open.Url!, open.SessionId!, open.ExpiresAt!.Value, Reused: true);
    }

    private CheckoutSessionRequest BuildRequest(LearnerId id, string priceId, string upgradeToken, CheckoutMode mode, string? customerId)
    {
        var publicUrl = serverOptions.Value.PublicUrl.ToString().TrimEnd('/');
        var learnerMetadata = new Dictionary<string, string> { ["learner_id"] = id.Value };
        return new CheckoutSessionRequest(
            PriceId: priceId,
            Quantity: 1,
            // {CHECKOUT_SESSION_ID} is Stripe's template, filled in by Stripe at redirect time.
            SuccessUrl: publicUrl + "/checkout/success?session_id={CHECKOUT_SESSION_ID}",
            CancelUrl: links.CancelUrl(upgradeToken),
            ClientReferenceId: id.Value,
            Metadata: learnerMetadata,
            PaymentIntentMetadata: learnerMetadata,
            Mode: mode,
            CustomerId: customerId,
            // The subscription carries the learner, and so does each of its invoices
            // (parent.subscription_details.metadata): that is how its events find the learner.
            SubscriptionMetadata: mode == CheckoutMode.Subscription ? learnerMetadata : null);
    }

    /// <summary>
    /// The learner's Stripe Customer: the one stored on the learner, or a new one created with
    /// <c>metadata[learner_id]</c> and the name the learner gave (nothing else about them), then
    /// stored. The Idempotency-Key is the learner's own, so concurrent or retried calls get the same
    /// customer back from Stripe; the first id stored wins.
    /// </summary>
    private async Task<(string? Id, UpgradeResult? Failure)> EnsureCustomerAsync(Learner learner, CancellationToken cancellationToken)
    {
        if (learner.StripeCustomerId is { } known)
        {
            return (known, null);
        }
        var metadata = new Dictionary<string, string> { ["learner_id"] = learner.LearnerId.Value };
        var created = await stripe.CreateCustomerAsync(learner.Name, metadata, CustomerIdempotencyKey(learner), cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return (null, new UpgradeResult.StripeFailed(created.Failure));
        }
        var stored = await learners.UpdateAsync(
            learner.LearnerId,
            l => l.StripeCustomerId is null ? l with { StripeCustomerId = created.Value.Id } : l,
            cancellationToken).ConfigureAwait(false);
        if (stored?.StripeCustomerId is not { } id)
        {
            return (null, new UpgradeResult.UnknownLearner(learner.LearnerId.Value));
        }
        LogCustomerReady(learner.LearnerId.Value, id);
        return (id, null);
    }

    /// <summary>One customer per learner: the key names the learner, plus a digest of the name sent,
    /// so a renamed learner's request cannot collide with the old body.</summary>
    internal static string CustomerIdempotencyKey(Learner learner)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(learner.Name));
        return $"tutorclaw-customer-{learner.LearnerId.Value}-{Convert.ToHexStringLower(digest)[..12]}";
    }

    /// <summary>
    /// Deterministic per learner and attempt: the attempt number is how many sessions the learner
    /// already has, so a retry of this attempt (ours, or an agent's after a lost answer) reuses the
    /// key and gets the same session back, while the next attempt after an expiry gets a new one.
    /// A digest of the request keeps a changed price or URL from colliding with an old key.
    /// </summary>
    internal static string IdempotencyKey(Learner learner, CheckoutSessionRequest request)
    {
        var attempt = learner.Checkouts.Count(c => c.SessionId is not null) + 1;
        // A subscription session also names its mode and customer; a payment session's key is as it always was.
        string[] parts = request.Mode == CheckoutMode.Subscription
            ? [request.PriceId, request.SuccessUrl, request.CancelUrl, "subscription", request.CustomerId ?? ""]
            : [request.PriceId, request.SuccessUrl, request.CancelUrl];
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return $"tutorclaw-checkout-{learner.LearnerId.Value}-{attempt}-{Convert.ToHexStringLower(digest)[..12]}";
    }

    private static List<string> MissingVariables(StripeOptions options)
    {
        var missing = new List<string>();
        if (options.SecretKey is null)
        {
            missing.Add(ConfigurationKeys.StripeSecretKey);
        }
        if (options.PaidPriceId is null)
        {
            missing.Add(ConfigurationKeys.StripePriceIdPaid);
        }
        return missing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} ready for learner {LearnerId}")]
    private partial void LogCheckoutCreated(string learnerId, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe customer {CustomerId} ready for learner {LearnerId}")]
    private partial void LogCustomerReady(string learnerId, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A payment link was asked for, but payments are not set up: set {Variables} and restart the server")]
    private partial void LogNotConfigured(string variables);
}
