namespace TutorClaw.Mcp.Stripe;

/// <summary>A Checkout Session's <c>mode</c>: a one-time payment, or a subscription (the monthly plan).</summary>
public enum CheckoutMode
{
    Payment,
    Subscription,
}
