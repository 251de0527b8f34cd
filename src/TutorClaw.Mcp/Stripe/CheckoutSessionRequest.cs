namespace TutorClaw.Mcp.Stripe;

/// <summary>The Checkout Session SPEC §4 asks for: one price, mode=payment, or (for a recurring
/// price, the monthly plan) mode=subscription for <paramref name="CustomerId"/>, the learner's Stripe
/// Customer, with <paramref name="SubscriptionMetadata"/> on the subscription it creates.
/// <paramref name="PaymentIntentMetadata"/> is sent only with mode=payment (Stripe refuses
/// <c>payment_intent_data</c> in subscription mode).</summary>
public sealed record CheckoutSessionRequest(
    string PriceId,
    int Quantity,
    string SuccessUrl,
    string CancelUrl,
    string ClientReferenceId,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> PaymentIntentMetadata,
    CheckoutMode Mode = CheckoutMode.Payment,
    string? CustomerId = null,
    IReadOnlyDictionary<string, string>? SubscriptionMetadata = null);
