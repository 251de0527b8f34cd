using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The learner's browser lands here from Stripe's page (SPEC §6). The success page asks Stripe
/// for the session and, if it is paid, applies it through the same idempotent path as the webhook,
/// so the learner is upgraded even if the webhook is slow. The webhook stays the source of truth.
/// </summary>
public static class CheckoutPages
{

    public static IEndpointRouteBuilder MapCheckoutPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/checkout/success", SuccessAsync);
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
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        const string confirming = "Thank you! We are confirming your payment with Stripe; your chapters unlock within a minute. Go back to WhatsApp to continue.";
        if (!StripeIds.IsSafeToken(session_id, "cs_") || !options.Value.IsConfigured)
        {
            return Page("Thank you", confirming);
        }
        var fetched = await stripe.GetCheckoutSessionAsync(session_id!, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return Page("Thank you", confirming);
        }
        var session = fetched.Value;
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
            session.Metadata.GetValueOrDefault("learner_id") ?? session.ClientReferenceId,
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
