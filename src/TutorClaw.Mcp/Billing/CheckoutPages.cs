using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
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
        endpoints.MapGet("/checkout/cancel", () => Page(
            "Payment cancelled",
            "No payment was made and nothing has changed. Go back to WhatsApp to keep learning; ask the tutor for a new link whenever you are ready."));
        return endpoints;
    }

    private static async Task<ContentHttpResult> SuccessAsync(
        string? session_id,
        IStripeApi stripe,
        IOptions<StripeOptions> options,
        PaymentEventApplier applier,
        ILearnerRepository learners,
        ForeignSessionMemory foreign,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        const string confirming = "Thank you! We are confirming your payment with Stripe; your chapters unlock within a minute. Go back to WhatsApp to continue.";
        // Only an id that could be one of our sessions, in our key's mode, and not already found
        // foreign, is worth a call to Stripe.
        if (!options.Value.IsConfigured
            || !IsSessionIdOf(options.Value.Mode, session_id)
            || foreign.Contains(session_id!))
        {
            return Page("Thank you", confirming);
        }
        var fetched = await stripe.GetCheckoutSessionAsync(session_id!, cancellationToken);
        if (!fetched.IsSuccess)
        {
            if (fetched.Failure.Kind == StripeFailureKind.InvalidRequest)
            {
                foreign.Remember(session_id!);
            }
            return Page("Thank you", confirming);
        }
        var session = fetched.Value;
        var named = session.Metadata.GetValueOrDefault("learner_id") ?? session.ClientReferenceId;
        if (!LearnerId.TryParse(named, out var learnerId) || await learners.FindAsync(learnerId, cancellationToken) is null)
        {
            // Not a TutorClaw checkout, or for a learner this store does not have: the webhook and
            // reconciliation deal with real payments; this page has nothing to apply.
            foreign.Remember(session_id!);
            return Page("Thank you", confirming);
        }
        if (session.Status != "complete")
        {
            return Page("Payment not finished", "This payment has not been completed. Go back to WhatsApp and ask the tutor for a new link if you still want to upgrade.");
        }
        if (session.PaymentStatus is not ("paid" or "no_payment_required"))
        {
            return Page("Payment processing", "Your payment is on its way (bank payments can take a few days). Your chapters unlock as soon as it clears; go back to WhatsApp to keep learning.");
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
            ? Page("Thank you", confirming)
            : Page("You're on the paid tier", "Payment received: every chapter is now open. Go back to WhatsApp to continue learning.");
    }

    /// <summary>cs_test_… for a test key, cs_live_… for a live key, then 1–200 of Stripe's id characters.</summary>
    public static bool IsSessionIdOf(StripeMode mode, string? sessionId)
    {
        var prefix = mode == StripeMode.Live ? "cs_live_" : "cs_test_";
        return sessionId is { Length: > 8 and <= 208 }
            && sessionId.StartsWith(prefix, StringComparison.Ordinal)
            && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    private static ContentHttpResult Page(string title, string message)
    {
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}} · TutorClaw</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.5rem}</style>
            </head><body><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(message)}}</p></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
