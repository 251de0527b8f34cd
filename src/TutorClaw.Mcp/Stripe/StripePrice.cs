namespace TutorClaw.Mcp.Stripe;

/// <summary>The fields of Stripe's price object that decide how it is sold.</summary>
/// <param name="Recurring">Stripe's <c>type</c> is <c>recurring</c> (sold with mode=subscription),
/// not <c>one_time</c> (mode=payment).</param>
/// <param name="Active">False for an archived price, which Checkout refuses.</param>
public sealed record StripePrice(string Id, bool Recurring, bool Active)
{
    /// <summary>The Checkout mode this price is sold with.</summary>
    public CheckoutMode Mode => Recurring ? CheckoutMode.Subscription : CheckoutMode.Payment;
}
