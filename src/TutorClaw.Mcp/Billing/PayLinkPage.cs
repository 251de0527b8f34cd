using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// <c>GET /pay/{token}</c>, the learner's stable payment link (<see cref="UpgradeLinks"/>). It always
/// lands somewhere sensible: a 303 to the learner's open Checkout Session, or to a fresh one made by
/// <see cref="CheckoutService"/> (the tool's own path and idempotency rules) when the last expired
/// or was completed; a page saying so to a learner already paid; a 404 page for a token nobody
/// holds. Opening the link is unauthenticated and may call Stripe, so each learner gets at most
/// <see cref="NewSessionsPerHour"/> new sessions in any hour, counted from their own records.
/// </summary>
public static class PayLinkPage
{
    /// <summary>New Checkout Sessions this link makes for one learner in any hour (the tool, behind the MCP door, is not limited).</summary>
    public const int NewSessionsPerHour = 3;

    public static IEndpointRouteBuilder MapPayLink(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/pay/{token}", OpenAsync);
        return endpoints;
    }

    private static async Task<IResult> OpenAsync(
        string token,
        HttpResponse response,
        ILearnerRepository learners,
        CheckoutService checkout,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!UpgradeLinks.IsToken(token) || await learners.FindByUpgradeTokenAsync(token, cancellationToken) is not { } learner)
        {
            return LearnerPages.NotFound();
        }
        if (learner.Tier == Tier.Paid)
        {
            return LearnerPages.AlreadyPaid();
        }
        if (NeedsNewSession(learner, clock.GetUtcNow()) && RecentSessions(learner, clock.GetUtcNow()) >= NewSessionsPerHour)
        {
            return LearnerPages.TryLater();
        }
        var result = await checkout.GetOrCreateAsync(learner.LearnerId.Value, cancellationToken);
        switch (result)
        {
            case UpgradeResult.Link link:
                LearnerPageHeaders.Apply(response);
                response.Headers.Location = link.Url;
                return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
            case UpgradeResult.AlreadyPaid:
                return LearnerPages.AlreadyPaid();
            case UpgradeResult.PaymentPending:
                var pending = learner.Checkouts.FirstOrDefault(c => c.Status == CheckoutStatus.Pending)?.SessionId;
                return pending is null ? LearnerPages.Confirming() : LearnerPages.Pending(pending);
            case UpgradeResult.UnknownLearner or UpgradeResult.InvalidLearnerId:
                return LearnerPages.NotFound();
            default:
                // Not set up, or Stripe failed: CheckoutService has logged what to fix.
                return LearnerPages.PaymentsUnavailable();
        }
    }

    /// <summary>The same test as <see cref="CheckoutService"/>: no open session usable for a few more minutes, and none pending.</summary>
    private static bool NeedsNewSession(Learner learner, DateTimeOffset now) =>
        !learner.Checkouts.Any(c => c.Status == CheckoutStatus.Pending || c.IsUsableAt(now, BillingStatusReporter.UsableLinkMargin));

    private static int RecentSessions(Learner learner, DateTimeOffset now) =>
        learner.Checkouts.Count(c => c.SessionId is not null && c.CreatedAt > now - TimeSpan.FromHours(1));
}
