using System.Net;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>Issue 16: a recurring STRIPE_PRICE_ID_PAID sells the monthly plan through mode=subscription
/// Checkout, for a Stripe Customer made once per learner; checked against the fake Stripe's recording.</summary>
public sealed class MonthlyCheckoutTests
{
    private const string LearnerSafe = "Payments are not available right now; please try again later.";

    /// <summary>The app with the paid price made recurring before the server first asks about it.</summary>
    private static async Task<StripeBackedApp> MonthlyAsync(Action<TutorClawApp>? configure = null)
    {
        var s = await StripeBackedApp.StartAsync(configure: configure);
        s.Stripe.AddPrice(TutorClawApp.PriceId, recurring: true);
        return s;
    }

    private static async Task<CallToolResult> UpgradeAsync(StripeBackedApp s, string learnerId = "learner_demo")
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        return await mcp.CallAsync("get_upgrade_url", new { learner_id = learnerId });
    }

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static string OperatorHint(CallToolResult result) =>
        result.StructuredContent!.Value.GetProperty("operator_hint").GetString()!;

    private static List<RecordedRequest> Posts(FakeStripeServer stripe, string path) =>
        [.. stripe.Requests.Where(r => r.Method == "POST" && r.Path == path)];

    private static RecordingLoggerProvider WithLogs(TutorClawApp app)
    {
        var logs = new RecordingLoggerProvider();
        var configured = app.ConfigureTestServices;
        app.ConfigureTestServices = services =>
        {
            configured?.Invoke(services);
            logs.AddTo(services);
        };
        return logs;
    }

    [Fact]
    public async Task A_recurring_price_opens_a_subscription_session_for_the_learners_customer_with_exactly_these_fields()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        var learner = (await s.App.Learners.FindAsync(id, default))!;
        var customer = Assert.Single(Posts(s.Stripe, "/v1/customers"));
        // Ids only, and the name the learner gave: no phone, no email.
        Assert.Equal(
            [new("metadata[learner_id]", "learner_demo"), new("name", "Zoë")],
            customer.Form.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.StartsWith("tutorclaw-customer-learner_demo-", customer.Header("Idempotency-Key"));
        Assert.Equal("cus_fake_0001", learner.StripeCustomerId);

        var session = Assert.Single(Posts(s.Stripe, "/v1/checkout/sessions"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["mode"] = "subscription",
                ["customer"] = "cus_fake_0001",
                ["line_items[0][price]"] = TutorClawApp.PriceId,
                ["line_items[0][quantity]"] = "1",
                ["success_url"] = "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
                ["cancel_url"] = "http://localhost:8000/checkout/cancel?link=" + learner.UpgradeToken,
                ["client_reference_id"] = "learner_demo",
                ["metadata[learner_id]"] = "learner_demo",
                ["subscription_data[metadata][learner_id]"] = "learner_demo",
            }.OrderBy(f => f.Key, StringComparer.Ordinal),
            session.Form.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.StartsWith("tutorclaw-checkout-learner_demo-1-", session.Header("Idempotency-Key"));
        var made = Assert.Single(s.Stripe.Sessions);
        Assert.Equal(("subscription", "cus_fake_0001"), (made.Mode, made.CustomerId));
        Assert.Equal("http://localhost:8000/pay/" + learner.UpgradeToken, result.StructuredContent!.Value.GetProperty("url").GetString());
        Assert.Equal(made.Id, Assert.Single(learner.Checkouts).SessionId);
    }

    [Fact]
    public async Task The_customer_is_created_once_and_reused_with_customer_for_the_next_session()
    {
        await using var s = await MonthlyAsync();
        await s.AddLearnerAsync();

        await UpgradeAsync(s);
        s.App.Clock.Advance(TimeSpan.FromHours(24));
        var second = await UpgradeAsync(s);

        Assert.NotEqual(true, second.IsError);
        Assert.Single(Posts(s.Stripe, "/v1/customers"));
        var sessions = Posts(s.Stripe, "/v1/checkout/sessions");
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, r => Assert.Equal("cus_fake_0001", r.FormValue("customer")));
        Assert.StartsWith("tutorclaw-checkout-learner_demo-2-", sessions[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Eight_concurrent_calls_make_one_customer_and_one_session()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" })));

        Assert.All(results, r => Assert.NotEqual(true, r.IsError));
        Assert.Single(s.Stripe.Customers);
        Assert.Single(s.Stripe.Sessions);
        Assert.Single(results.Select(r => r.StructuredContent!.Value.GetProperty("session_id").GetString()).Distinct());
        Assert.Equal(s.Stripe.Customers[0].Id, (await s.App.Learners.FindAsync(id, default))!.StripeCustomerId);
    }

    [Fact]
    public async Task A_customer_learned_from_subscription_events_is_reused_without_creating_one()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        s.Stripe.AddCustomer("cus_fake_known");
        await s.App.Learners.UpdateAsync(id, l => l with { StripeCustomerId = "cus_fake_known" }, default);

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        Assert.Empty(Posts(s.Stripe, "/v1/customers"));
        Assert.Equal("cus_fake_known", Assert.Single(Posts(s.Stripe, "/v1/checkout/sessions")).FormValue("customer"));
    }

    [Fact]
    public async Task A_price_stripe_does_not_have_is_misconfigured_logged_once_and_asked_about_once()
    {
        RecordingLoggerProvider? logs = null;
        await using var s = await StripeBackedApp.StartAsync(configure: app =>
        {
            app.Settings["STRIPE_PRICE_ID_PAID"] = "price_fake_does_not_exist";
            logs = WithLogs(app);
        });
        await s.AddLearnerAsync();

        var first = await UpgradeAsync(s);
        var second = await UpgradeAsync(s);

        foreach (var result in new[] { first, second })
        {
            Assert.True(result.IsError);
            Assert.Equal(LearnerSafe, Text(result));
            Assert.Contains("STRIPE_PRICE_ID_PAID names a price this Stripe account does not have", OperatorHint(result));
            Assert.Contains("No such price: 'price_fake_does_not_exist'", OperatorHint(result));
        }
        Assert.Single(s.Stripe.Requests, r => r.IsPriceLookup);
        Assert.Empty(Posts(s.Stripe, "/v1/checkout/sessions"));
        var line = Assert.Single(logs!.Records, r => r.Contains("paid price is misconfigured", StringComparison.Ordinal));
        Assert.StartsWith("Error ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Billing_mode_subscription_against_a_one_time_price_is_a_clear_misconfiguration()
    {
        await using var s = await StripeBackedApp.StartAsync(configure: app => app.Settings["TUTORCLAW_BILLING_MODE"] = "subscription");
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Equal(LearnerSafe, Text(result));
        Assert.StartsWith("TUTORCLAW_BILLING_MODE is subscription, but STRIPE_PRICE_ID_PAID (price_fake_paid_tier_0001) is a one-time price", OperatorHint(result));
        Assert.Empty(Posts(s.Stripe, "/v1/customers"));
        Assert.Empty(Posts(s.Stripe, "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task Billing_mode_payment_against_a_recurring_price_is_a_clear_misconfiguration()
    {
        await using var s = await MonthlyAsync(app => app.Settings["TUTORCLAW_BILLING_MODE"] = "payment");
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Contains("is a recurring price, which only mode=subscription can sell", OperatorHint(result));
        Assert.Empty(Posts(s.Stripe, "/v1/checkout/sessions"));
    }

    [Fact]
    public async Task Billing_mode_that_agrees_with_the_price_sells_it()
    {
        await using var s = await MonthlyAsync(app => app.Settings["TUTORCLAW_BILLING_MODE"] = "subscription");
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("subscription", Assert.Single(Posts(s.Stripe, "/v1/checkout/sessions")).FormValue("mode"));
    }

    [Fact]
    public async Task A_one_time_price_still_opens_mode_payment_without_a_customer()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        var session = Assert.Single(Posts(s.Stripe, "/v1/checkout/sessions"));
        Assert.Equal("payment", session.FormValue("mode"));
        Assert.Null(session.FormValue("customer"));
        Assert.Empty(Posts(s.Stripe, "/v1/customers"));
    }

    [Fact]
    public async Task A_one_time_buyer_stays_paid_after_the_price_switches_to_monthly()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        var webhook = new WebhookSender(s.App, s.App.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await webhook.SendEventFileAsync("checkout.session.completed.json")).StatusCode);
        s.App.Clock.Advance(TimeSpan.FromDays(400));

        var result = await UpgradeAsync(s);
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var tier = (await mcp.CallAsync("get_learner_tier", new { learner_id = id.Value })).StructuredContent!.Value;

        Assert.True(result.IsError);
        Assert.Contains("already on the paid tier", Text(result));
        Assert.Equal("paid", tier.GetProperty("tier").GetString());
        Assert.Equal("one_time", tier.GetProperty("plan").GetString());
        Assert.DoesNotContain(s.Stripe.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_learner_whose_subscription_is_past_due_beyond_its_grace_is_sent_to_the_portal_not_to_a_second_plan()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        var webhook = new WebhookSender(s.App, s.App.CreateClient());
        var now = s.App.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await webhook.SendSignedAsync(SubscriptionPayloads.Invoice(
            "evt_fake_live_01", "invoice.payment_failed", now, "in_fake_live"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await webhook.SendSignedAsync(SubscriptionPayloads.Subscription(
            "evt_fake_live_02", "customer.subscription.updated", now, "past_due", now.AddDays(20)))).StatusCode);
        s.App.Clock.Advance(TimeSpan.FromDays(4));

        var result = await UpgradeAsync(s);

        Assert.Equal(Tier.Free, TierRules.Current((await s.App.Learners.FindAsync(id, default))!, s.App.Clock.GetUtcNow()));
        Assert.True(result.IsError);
        Assert.Contains("already has a monthly plan", Text(result));
        Assert.Contains("get_billing_portal_url", Text(result));
        Assert.DoesNotContain(s.Stripe.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task The_success_page_of_a_subscription_session_does_not_make_a_one_time_payment()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        var sessionId = (await UpgradeAsync(s)).StructuredContent!.Value.GetProperty("session_id").GetString()!;
        s.Stripe.CompleteSession(sessionId, "pi_fake_never_for_subscriptions");

        var page = await s.App.CreateClient().GetAsync($"/checkout/success?session_id={sessionId}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var learner = (await s.App.Learners.FindAsync(id, default))!;
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.DoesNotContain(learner.Checkouts, c => c.Status == CheckoutStatus.Paid);
    }

    [Fact]
    public async Task The_stable_pay_link_opens_a_subscription_session_too()
    {
        await using var s = await MonthlyAsync();
        var id = await s.AddLearnerAsync();
        var url = (await UpgradeAsync(s)).StructuredContent!.Value.GetProperty("url").GetString()!;
        s.App.Clock.Advance(TimeSpan.FromHours(24));

        var response = await s.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var sessions = s.Stripe.Sessions;
        Assert.Equal(2, sessions.Count);
        Assert.Equal(sessions[1].Url, response.Headers.Location!.ToString());
        Assert.All(sessions, made => Assert.Equal(("subscription", "cus_fake_0001"), (made.Mode, made.CustomerId)));
        Assert.Equal("cus_fake_0001", (await s.App.Learners.FindAsync(id, default))!.StripeCustomerId);
    }
}
