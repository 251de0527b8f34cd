namespace TutorClaw.Mcp.Stripe;

/// <summary>A Stripe Customer (cus_…); only its id is read.</summary>
public sealed record StripeCustomer(string Id);
