namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>A Checkout Session as the fake Stripe holds it at one moment.</summary>
/// <param name="Status">open | complete | expired.</param>
/// <param name="PaymentStatus">paid | unpaid.</param>
/// <param name="IdempotencyKey">The key of the request that created it, if any.</param>
/// <param name="Mode">payment | subscription.</param>
/// <param name="CustomerId">The <c>customer</c> it was created for, if any.</param>
/// <param name="SubscriptionMetadata">The <c>subscription_data[metadata]</c> it was given.</param>
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
    string? IdempotencyKey,
    string Mode,
    string? CustomerId,
    IReadOnlyDictionary<string, string> SubscriptionMetadata);
