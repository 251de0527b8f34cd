namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>A Checkout Session as the fake Stripe holds it at one moment.</summary>
/// <param name="Status">open | complete | expired.</param>
/// <param name="PaymentStatus">paid | unpaid.</param>
/// <param name="IdempotencyKey">The key of the request that created it, if any.</param>
public sealed record CheckoutSessionSnapshot(
    string Id,
    string Status,
    string PaymentStatus,
    string? Url,
    string PriceId,
    int Quantity,
    string? SuccessUrl,
    string? CancelUrl,
    string? ClientReferenceId,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> PaymentIntentMetadata,
    string? PaymentIntentId,
    DateTimeOffset Created,
    DateTimeOffset ExpiresAt,
    string? IdempotencyKey);
