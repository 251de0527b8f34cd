namespace TutorClaw.Mcp.Stripe;

/// <summary>The fields of Stripe's checkout.session object that we read; the rest is ignored.</summary>
/// <param name="Status">open | complete | expired.</param>
/// <param name="PaymentStatus">paid | unpaid | no_payment_required.</param>
/// <param name="Mode">payment | subscription (| setup, never ours).</param>
public sealed record CheckoutSession(
    string Id,
    string? Url,
    string Status,
    string PaymentStatus,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? Created,
    string? PaymentIntentId,
    string? ClientReferenceId,
    IReadOnlyDictionary<string, string> Metadata,
    long? AmountTotal,
    string? Currency,
    string Mode = "payment");
