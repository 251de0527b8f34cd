namespace TutorClaw.Mcp.Stripe;

/// <summary>The fields of Stripe's billing_portal.session object that we read.</summary>
public sealed record BillingPortalSession(string Id, string Url);
