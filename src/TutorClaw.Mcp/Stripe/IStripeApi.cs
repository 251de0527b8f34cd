namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// The part of Stripe's REST API this server uses. Every call answers with a value: the object,
/// or a <see cref="StripeFailure"/> saying what went wrong in words safe to show. Nothing outside
/// this folder sees HTTP.
/// </summary>
public interface IStripeApi
{
    /// <summary>POST /v1/checkout/sessions. <paramref name="idempotencyKey"/> is sent as-is on
    /// every attempt, so a retried request cannot create a second session.</summary>
    Task<StripeResult<CheckoutSession>> CreateCheckoutSessionAsync(
        CheckoutSessionRequest request, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>GET /v1/checkout/sessions/{id}.</summary>
    Task<StripeResult<CheckoutSession>> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>POST /v1/checkout/sessions/{id}/expire (empty body).</summary>
    Task<StripeResult<CheckoutSession>> ExpireCheckoutSessionAsync(
        string sessionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>GET /v1/events, one page, newest first (Stripe's order).</summary>
    Task<StripeResult<EventPage>> ListEventsAsync(EventListQuery query, CancellationToken cancellationToken);
}
