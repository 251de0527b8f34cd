using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The learner's browser lands here from Stripe's page (SPEC §6). The success page asks Stripe
/// for the session and, if it is paid, applies it through the same idempotent path as the webhook,
/// so the learner is upgraded even if the webhook is slow. The webhook stays the source of truth.
/// </summary>
public static class CheckoutPages
{
    /// <summary>Success-page loads one client may make: a burst of this many, refilled by this many a minute.</summary>
    public const int LoadsPerMinute = 10;

    private const string RateLimitPolicy = "checkout-success";

    /// <summary>
    /// The success page is unauthenticated and makes the server call Stripe, so each client (by
    /// peer address) gets <see cref="LoadsPerMinute"/>; beyond that, 429 without a Stripe call.
    /// </summary>
    public static IServiceCollection AddCheckoutPages(this IServiceCollection services)
    {
        services.AddSingleton<ForeignSessionMemory>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = LoadsPerMinute,
                    TokensPerPeriod = LoadsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapCheckoutPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/checkout/success", SuccessAsync).RequireRateLimiting(RateLimitPolicy);
        endpoints.MapGet("/checkout/cancel", CancelAsync);
        endpoints.MapPayLink();
        return endpoints;
    }

    /// <summary>Stripe's cancel_url carries the learner's link token (<see cref="UpgradeLinks.CancelUrl"/>),
    /// so the page can offer the stable link again; a token nobody holds offers nothing.</summary>
    private static async Task<LearnerPage> CancelAsync(string? link, ILearnerRepository learners, UpgradeLinks links, CancellationToken cancellationToken) =>
        UpgradeLinks.IsToken(link) && await learners.FindByUpgradeTokenAsync(link!, cancellationToken) is not null
            ? LearnerPages.Cancelled(links.PayUrl(link!))
            : LearnerPages.Cancelled(upgradeLink: null);

    private static async Task<LearnerPage> SuccessAsync(
        string? session_id,
        IStripeApi stripe,
        IOptions<StripeOptions> options,
        PaymentEventApplier applier,
        ILearnerRepository learners,
        ForeignSessionMemory foreign,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // Only an id that could be one of our sessions, in our key's mode, and not already found
        // foreign, is worth a call to Stripe.
        if (!options.Value.IsConfigured
            || !IsSessionIdOf(options.Value.Mode, session_id)
            || foreign.Contains(session_id!))
        {
            return LearnerPages.Confirming();
        }
        var fetched = await stripe.GetCheckoutSessionAsync(session_id!, cancellationToken);
        if (!fetched.IsSuccess)
        {
            if (fetched.Failure.Kind == StripeFailureKind.InvalidRequest)
            {
                foreign.Remember(session_id!);
            }
            return LearnerPages.Confirming();
        }
        var session = fetched.Value;
        var named = session.Metadata.GetValueOrDefault("learner_id") ?? session.ClientReferenceId;
        if (!LearnerId.TryParse(named, out var learnerId) || await learners.FindAsync(learnerId, cancellationToken) is null)
        {
            // Not a TutorClaw checkout, or for a learner this store does not have: the webhook and
            // reconciliation deal with real payments; this page has nothing to apply.
            foreign.Remember(session_id!);
            return LearnerPages.Confirming();
        }
        if (session.Status != "complete")
        {
            return LearnerPages.NotCompleted(session.Id);
        }
        if (session.Mode == "subscription")
        {
            // The monthly plan is not a one-time payment: its subscription's own events decide access.
            return LearnerPages.Confirming();
        }
        if (session.PaymentStatus is not ("paid" or "no_payment_required"))
        {
            return LearnerPages.Pending(session.Id);
        }
        var snapshot = new SessionSnapshot(
            session.Id,
            named,
            session.PaymentIntentId,
            session.AmountTotal,
            session.Currency,
            session.ExpiresAt);
        var outcome = await applier.ApplyAsync(
            new CheckoutCompleted(EventId: null, "checkout.session.completed", clock.GetUtcNow(), snapshot, Paid: true), cancellationToken);
        return outcome is ApplyOutcome.Unmatched
            ? LearnerPages.Confirming()
            : LearnerPages.Paid(session.Id);
    }

    /// <summary>cs_test_… for a test key, cs_live_… for a live key, then 1–200 of Stripe's id characters.</summary>
    public static bool IsSessionIdOf(StripeMode mode, string? sessionId)
    {
        var prefix = mode == StripeMode.Live ? "cs_live_" : "cs_test_";
        return sessionId is { Length: > 8 and <= 208 }
            && sessionId.StartsWith(prefix, StringComparison.Ordinal)
            && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
