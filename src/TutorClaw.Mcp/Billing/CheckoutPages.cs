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
        endpoints.MapGet("/checkout/cancel", () => LearnerPages.Cancelled(upgradeLink: null));
        return endpoints;
    }

    private static async Task<LearnerPage> SuccessAsync(
        string? session_id,
        IStripeApi stripe,
        IOptions<StripeOptions> options,
        PaymentEventApplier applier,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!StripeIds.IsSafeToken(session_id, "cs_") || !options.Value.IsConfigured)
        {
            return LearnerPages.Confirming();
        }
        var fetched = await stripe.GetCheckoutSessionAsync(session_id!, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return LearnerPages.Confirming();
        }
        var session = fetched.Value;
        if (session.Status != "complete")
        {
            return LearnerPages.NotCompleted(session.Id);
        }
        if (session.PaymentStatus is not ("paid" or "no_payment_required"))
        {
            return LearnerPages.Pending(session.Id);
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
            ? LearnerPages.Confirming()
            : LearnerPages.Paid(session.Id);
    }
}
