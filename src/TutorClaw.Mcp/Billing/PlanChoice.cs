using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>How get_upgrade_url sells the paid price right now (<see cref="PaidPlan"/>).</summary>
public abstract record PlanChoice
{
    private PlanChoice()
    {
    }

    /// <summary>Sell the price in this Checkout mode.</summary>
    public sealed record Sell(CheckoutMode Mode) : PlanChoice;

    /// <summary>The settings cannot work (no such price, an archived one, a TUTORCLAW_BILLING_MODE that
    /// contradicts the price); <paramref name="OperatorHint"/> says what to fix. Stays so until restart.</summary>
    public sealed record Misconfigured(string OperatorHint) : PlanChoice;

    /// <summary>Stripe could not be asked about the price just now; asked again at the next call.</summary>
    public sealed record Unavailable(StripeFailure Failure) : PlanChoice;
}
