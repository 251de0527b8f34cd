namespace TutorClaw.Mcp.TestSupport;

/// <summary>
/// The Checkout Session create request stripe-node sent for this project
/// (shared/stripe/checkout-session-create.md), as its decoded form fields in order, for
/// learner_demo and TUTORCLAW_PUBLIC_URL=http://localhost:8000.
/// </summary>
public static class CheckoutCapture
{
    public const string DocumentedPriceId = "price_1TcLw01demoQPaidTier0001";

    public static KeyValuePair<string, string>[] DecodedFields(string priceId = DocumentedPriceId) =>
    [
        new("mode", "payment"),
        new("line_items[0][price]", priceId),
        new("line_items[0][quantity]", "1"),
        new("success_url", "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
        new("cancel_url", "http://localhost:8000/checkout/cancel"),
        new("client_reference_id", "learner_demo"),
        new("metadata[learner_id]", "learner_demo"),
        new("payment_intent_data[metadata][learner_id]", "learner_demo"),
    ];
}
