namespace TutorClaw.Mcp.Stripe;

/// <summary>The Checkout Session SPEC §4 asks for: one price, mode=payment.</summary>
public sealed record CheckoutSessionRequest(
    string PriceId,
    int Quantity,
    string SuccessUrl,
    string CancelUrl,
    string ClientReferenceId,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> PaymentIntentMetadata);
