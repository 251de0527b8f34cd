namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>The fake's mutable state of one Checkout Session; guarded by the server's lock.</summary>
internal sealed class FakeSession
{
    public required string Id { get; init; }
    public required string PriceId { get; init; }
    public required int Quantity { get; init; }
    public string? SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required IReadOnlyDictionary<string, string> PaymentIntentMetadata { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string Mode { get; init; } = "payment";
    public string? CustomerId { get; init; }
    public IReadOnlyDictionary<string, string> SubscriptionMetadata { get; init; } = new Dictionary<string, string>();

    public string Status { get; set; } = "open";
    public string PaymentStatus { get; set; } = "unpaid";
    public string? PaymentIntentId { get; set; }

    public string? Url => Status == "open" ? $"https://checkout.stripe.com/c/pay/{Id}" : null;

    public CheckoutSessionSnapshot Snapshot() => new(
        Id, Status, PaymentStatus, Url, PriceId, Quantity, SuccessUrl, CancelUrl, ClientReferenceId,
        Metadata, PaymentIntentMetadata, PaymentIntentId, Created, ExpiresAt, IdempotencyKey,
        Mode, CustomerId, SubscriptionMetadata);
}
