using Stripe;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// The narrow seam Billing talks to, so Billing's unit tests can mock Stripe with Moq. Every call
/// answers with a value: the object, or a <see cref="StripeFailure"/> saying what went wrong in
/// words safe to show. <see cref="StripeNetAdapter"/> implements it over Stripe.net; nothing
/// outside this folder sees HTTP or a <see cref="StripeException"/>.
/// </summary>
public interface IStripeApi
{
    /// <summary>Creates a Checkout Session. <paramref name="idempotencyKey"/> is sent as-is on
    /// every attempt, so a retried request cannot create a second session.</summary>
    Task<StripeResult<CheckoutSession>> CreateCheckoutSessionAsync(
        CheckoutSessionRequest request, string idempotencyKey, CancellationToken cancellationToken);

    Task<StripeResult<CheckoutSession>> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    Task<StripeResult<CheckoutSession>> ExpireCheckoutSessionAsync(
        string sessionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Retrieves a price (<c>GET /v1/prices/{id}</c>): whether it is recurring decides the Checkout mode.</summary>
    Task<StripeResult<StripePrice>> GetPriceAsync(string priceId, CancellationToken cancellationToken);

    /// <summary>Creates a Customer (<c>POST /v1/customers</c>) with <paramref name="name"/> (may be
    /// null) and <paramref name="metadata"/>; <paramref name="idempotencyKey"/> makes a retried or
    /// concurrent request create one customer, not two.</summary>
    Task<StripeResult<StripeCustomer>> CreateCustomerAsync(
        string? name, IReadOnlyDictionary<string, string> metadata, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The paid InvoicePayment objects of an invoice (<c>GET /v1/invoice_payments?invoice=…</c>):
    /// the payment intents and charges that paid it.</summary>
    Task<StripeResult<InvoicePayments>> ListInvoicePaymentsAsync(string invoiceId, CancellationToken cancellationToken);

    /// <summary>Creates a Customer Portal session (<c>POST /v1/billing_portal/sessions</c>) for
    /// <paramref name="customerId"/>, sending the learner back to <paramref name="returnUrl"/>.</summary>
    Task<StripeResult<BillingPortalSession>> CreateBillingPortalSessionAsync(
        string customerId, string returnUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Events newest first (Stripe's order), fetched page by page as the caller reads. A failure
    /// ends the sequence: its last item is then the failure.
    /// </summary>
    IAsyncEnumerable<StripeResult<Event>> ListEventsAsync(EventListQuery query, CancellationToken cancellationToken);
}
