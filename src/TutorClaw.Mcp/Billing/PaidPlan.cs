using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Which plan STRIPE_PRICE_ID_PAID sells: Stripe is asked about the price once
/// (<c>GET /v1/prices/{id}</c>) and the answer is kept for the life of the process. A recurring price
/// is the monthly plan (mode=subscription), a one-time price the one-time tier (mode=payment);
/// TUTORCLAW_BILLING_MODE, when set, must agree with the price. A price Stripe does not have, an
/// archived one, or a contradicting mode is a misconfiguration, logged once and kept until restart;
/// a failure to reach Stripe is not kept, so the next call asks again. Concurrent callers share one
/// request. <see cref="PriceCheckService"/> asks at startup, in the background.
/// </summary>
public sealed partial class PaidPlan(IStripeApi stripe, IOptions<StripeOptions> options, ILogger<PaidPlan> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile PlanChoice? _settled;

    public async Task<PlanChoice> ChooseAsync(CancellationToken cancellationToken)
    {
        if (_settled is { } settled)
        {
            return settled;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_settled is { } already)
            {
                return already;
            }
            var priceId = options.Value.PaidPriceId
                ?? throw new InvalidOperationException("The paid plan is chosen only when STRIPE_PRICE_ID_PAID is set.");
            var price = await stripe.GetPriceAsync(priceId, cancellationToken).ConfigureAwait(false);
            if (!price.IsSuccess && !IsMissing(price.Failure))
            {
                // Stripe/ has logged the failed call; the next caller asks again.
                return new PlanChoice.Unavailable(price.Failure);
            }
            var choice = price.IsSuccess
                ? Decide(price.Value, options.Value.BillingMode)
                : new PlanChoice.Misconfigured(
                    $"{ConfigurationKeys.StripePriceIdPaid} names a price this Stripe account does not have ({price.Failure.Message.TrimEnd('.')}); "
                    + "copy the price_… id from the Dashboard (Product catalog, in the same test or live mode as the key) and restart the server.");
            switch (choice)
            {
                case PlanChoice.Misconfigured wrong:
                    LogMisconfigured(wrong.OperatorHint);
                    break;
                case PlanChoice.Sell sell:
                    LogPlan(priceId, sell.Mode == CheckoutMode.Subscription ? "recurring: monthly plan, mode=subscription" : "one-time: mode=payment");
                    break;
            }
            _settled = choice;
            return choice;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The plan a price gives, checked against TUTORCLAW_BILLING_MODE.</summary>
    internal static PlanChoice Decide(StripePrice price, CheckoutMode? required)
    {
        if (!price.Active)
        {
            return new PlanChoice.Misconfigured(
                $"{ConfigurationKeys.StripePriceIdPaid} names an archived price ({price.Id}), which Checkout refuses; "
                + "make it active in the Dashboard or set another price, then restart the server.");
        }
        if (required is { } mode && mode != price.Mode)
        {
            return new PlanChoice.Misconfigured(
                $"{ConfigurationKeys.BillingMode} is {Word(mode)}, but {ConfigurationKeys.StripePriceIdPaid} ({price.Id}) is a "
                + (price.Recurring ? "recurring price, which only mode=subscription can sell" : "one-time price, which only mode=payment can sell")
                + $"; set {ConfigurationKeys.BillingMode} to {Word(price.Mode)} (or unset it), or choose a {(mode == CheckoutMode.Subscription ? "recurring" : "one-time")} price, then restart the server.");
        }
        return new PlanChoice.Sell(price.Mode);
    }

    /// <summary>Stripe answered that the price does not exist (404, resource_missing).</summary>
    private static bool IsMissing(StripeFailure failure) =>
        failure.HttpStatus == 404 || failure.Code == "resource_missing";

    private static string Word(CheckoutMode mode) => mode == CheckoutMode.Subscription ? "subscription" : "payment";

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "The paid price is misconfigured, so get_upgrade_url cannot sell it: {Hint}")]
    private partial void LogMisconfigured(string hint);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Paid price {PriceId} is {Plan}")]
    private partial void LogPlan(string priceId, string plan);
}
