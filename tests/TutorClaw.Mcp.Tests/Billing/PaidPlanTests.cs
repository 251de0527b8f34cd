using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>Which plan the paid price sells, asked of Stripe once (issue 16).</summary>
public sealed class PaidPlanTests
{
    private const string Price = "price_fake_plan_0001";

    private static PaidPlan Plan(Mock<IStripeApi> stripe, CheckoutMode? billingMode = null) => new(
        stripe.Object,
        Options.Create(new StripeOptions { SecretKey = "sk_test_fake", PaidPriceId = Price, BillingMode = billingMode }),
        NullLogger<PaidPlan>.Instance);

    private static StripeResult<StripePrice> Ok(bool recurring, bool active = true) =>
        StripeResult<StripePrice>.Ok(new StripePrice(Price, recurring, active));

    [Theory]
    [InlineData(false, CheckoutMode.Payment)]
    [InlineData(true, CheckoutMode.Subscription)]
    public async Task The_price_decides_the_mode_and_is_asked_about_once(bool recurring, CheckoutMode expected)
    {
        var stripe = new Mock<IStripeApi>(MockBehavior.Strict);
        stripe.Setup(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>())).ReturnsAsync(Ok(recurring));
        var plan = Plan(stripe);

        var first = await plan.ChooseAsync(default);
        var second = await plan.ChooseAsync(default);

        Assert.Equal(new PlanChoice.Sell(expected), first);
        Assert.Equal(first, second);
        stripe.Verify(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_failure_to_reach_stripe_is_not_kept_so_the_next_call_asks_again()
    {
        var stripe = new Mock<IStripeApi>(MockBehavior.Strict);
        stripe.SetupSequence(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>()))
            .ReturnsAsync(StripeResult<StripePrice>.Fail(new StripeFailure(StripeFailureKind.Unreachable, "Could not reach Stripe.")))
            .ReturnsAsync(Ok(recurring: true));
        var plan = Plan(stripe);

        var first = await plan.ChooseAsync(default);
        var second = await plan.ChooseAsync(default);

        Assert.IsType<PlanChoice.Unavailable>(first);
        Assert.Equal(new PlanChoice.Sell(CheckoutMode.Subscription), second);
    }

    [Fact]
    public async Task A_price_stripe_does_not_have_is_kept_as_a_misconfiguration()
    {
        var stripe = new Mock<IStripeApi>(MockBehavior.Strict);
        stripe.Setup(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>())).ReturnsAsync(StripeResult<StripePrice>.Fail(new StripeFailure(
            StripeFailureKind.InvalidRequest, $"Stripe rejected the request (HTTP 404): No such price: '{Price}'.", 404, "invalid_request_error", "resource_missing")));
        var plan = Plan(stripe);

        var first = await plan.ChooseAsync(default);
        await plan.ChooseAsync(default);

        var wrong = Assert.IsType<PlanChoice.Misconfigured>(first);
        Assert.StartsWith("STRIPE_PRICE_ID_PAID names a price this Stripe account does not have (Stripe rejected the request (HTTP 404): No such price", wrong.OperatorHint);
        stripe.Verify(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_request()
    {
        var answer = new TaskCompletionSource<StripeResult<StripePrice>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stripe = new Mock<IStripeApi>(MockBehavior.Strict);
        stripe.Setup(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>())).Returns(answer.Task);
        var plan = Plan(stripe);

        var callers = Enumerable.Range(0, 8).Select(_ => plan.ChooseAsync(default)).ToList();
        answer.SetResult(Ok(recurring: true));
        var choices = await Task.WhenAll(callers);

        Assert.All(choices, c => Assert.Equal(new PlanChoice.Sell(CheckoutMode.Subscription), c));
        stripe.Verify(s => s.GetPriceAsync(Price, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(CheckoutMode.Payment, false, true)]
    [InlineData(CheckoutMode.Subscription, true, true)]
    [InlineData(CheckoutMode.Payment, true, false)]
    [InlineData(CheckoutMode.Subscription, false, false)]
    public void Billing_mode_must_agree_with_the_price(CheckoutMode required, bool recurring, bool sells)
    {
        var choice = PaidPlan.Decide(new StripePrice(Price, recurring, Active: true), required);

        if (sells)
        {
            Assert.Equal(new PlanChoice.Sell(required), choice);
        }
        else
        {
            Assert.StartsWith($"TUTORCLAW_BILLING_MODE is {required.ToString().ToLowerInvariant()}, but STRIPE_PRICE_ID_PAID ({Price}) is a ",
                Assert.IsType<PlanChoice.Misconfigured>(choice).OperatorHint);
        }
    }

    [Fact]
    public void An_archived_price_is_a_misconfiguration()
    {
        var choice = PaidPlan.Decide(new StripePrice(Price, Recurring: true, Active: false), required: null);

        Assert.Contains("archived price", Assert.IsType<PlanChoice.Misconfigured>(choice).OperatorHint);
    }

    [Theory]
    [InlineData("payment", CheckoutMode.Payment)]
    [InlineData("Subscription", CheckoutMode.Subscription)]
    public void Billing_mode_is_read_from_its_variable(string value, CheckoutMode expected)
    {
        var settings = SettingsTranslation.TranslatedSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ConfigurationKeys.BillingMode] = value }).Build());

        Assert.Equal(expected, settings.Stripe.BillingMode);
        Assert.Empty(settings.Problems.All);
    }

    [Fact]
    public void A_bad_billing_mode_is_a_problem_naming_the_variable_not_the_value()
    {
        var settings = SettingsTranslation.TranslatedSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ConfigurationKeys.BillingMode] = "monthly" }).Build());

        Assert.Equal(["TUTORCLAW_BILLING_MODE must be payment or subscription."], settings.Problems.All);
        Assert.Null(settings.Stripe.BillingMode);
    }
}
