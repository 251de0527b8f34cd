namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>A customer as the fake Stripe holds it: what it was created with.</summary>
public sealed record FakeCustomer(
    string Id, string? Name, string? Email, IReadOnlyDictionary<string, string> Metadata, string? IdempotencyKey);
