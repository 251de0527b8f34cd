using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>Issue 16: a refund or dispute of a subscription invoice's charge finds its learner
/// through the payment intent that paid the invoice, and follows the one-time rules, through the
/// signed /webhook.</summary>
public sealed class SubscriptionRefundTests : IAsyncLifetime
{
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");
    private StripeBackedApp _s = null!;
    private WebhookSender _webhook = null!;
    private DateTimeOffset _start;

    public async Task InitializeAsync()
    {
        _s = await StripeBackedApp.StartAsync();
        await _s.AddLearnerAsync();
        _webhook = new WebhookSender(_s.App, _s.App.CreateClient());
        _start = _s.App.Clock.GetUtcNow();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private async Task SendAsync(string body)
    {
        using var response = await _webhook.SendSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<Tier> TierAsync() => (await _s.App.Learners.FindAsync(Demo, default))!.Tier;

    private async Task SubscribeAsync(bool invoiceIncludesPayments = true)
    {
        await SendAsync(Subscription("evt_fake_ref_01", "customer.subscription.created", _start, "active", _start.AddDays(30)));
        await SendAsync(Invoice("evt_fake_ref_02", "invoice.paid", _start.AddSeconds(1), "in_fake_ref_1", withPayments: invoiceIncludesPayments));
        Assert.Equal(Tier.Paid, await TierAsync());
    }

    [Fact]
    public async Task A_full_refund_of_the_invoice_charge_ends_the_paid_tier()
    {
        await SubscribeAsync();

        await SendAsync(Refund("evt_fake_ref_03", _start.AddDays(2), PaymentIntentOf("in_fake_ref_1")));

        Assert.Equal(Tier.Free, await TierAsync());
        await using var mcp = await InProcessMcp.ConnectAsync(_s.App.Services);
        var tier = (await mcp.CallAsync("get_learner_tier", new { learner_id = Demo.Value })).StructuredContent!.Value;
        Assert.Equal("free", tier.GetProperty("tier").GetString());
        Assert.Equal("refund", tier.GetProperty("last_change").GetProperty("cause").GetString());
        Assert.Contains("The monthly plan's payment was refunded on", tier.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Empty(await UnmatchedAsync());
    }

    [Fact]
    public async Task When_the_event_lacks_the_invoice_payments_stripe_is_asked_and_the_refund_still_finds_the_learner()
    {
        _s.Stripe.AddInvoicePayment("in_fake_ref_1", "pi_fake_asked_of_stripe");
        await SubscribeAsync(invoiceIncludesPayments: false);

        await SendAsync(Refund("evt_fake_ref_03", _start.AddDays(2), "pi_fake_asked_of_stripe"));

        var asked = Assert.Single(_s.Stripe.Requests, r => r.Path == "/v1/invoice_payments");
        Assert.Contains(new KeyValuePair<string, string>("invoice", "in_fake_ref_1"), asked.QueryPairs);
        Assert.Equal(Tier.Free, await TierAsync());
    }

    [Fact]
    public async Task A_partial_refund_leaves_the_paid_tier()
    {
        await SubscribeAsync();

        await SendAsync(Refund("evt_fake_ref_03", _start.AddDays(2), PaymentIntentOf("in_fake_ref_1"), full: false));

        Assert.Equal(Tier.Paid, await TierAsync());
    }

    [Fact]
    public async Task The_next_paid_invoice_after_a_refund_gives_access_again()
    {
        await SubscribeAsync();
        await SendAsync(Refund("evt_fake_ref_03", _start.AddDays(2), PaymentIntentOf("in_fake_ref_1")));

        await SendAsync(Invoice("evt_fake_ref_04", "invoice.paid", _start.AddDays(30), "in_fake_ref_2"));

        Assert.Equal(Tier.Paid, await TierAsync());
    }

    [Fact]
    public async Task A_refund_that_overtakes_its_invoice_paid_still_ends_the_paid_tier()
    {
        await SendAsync(Subscription("evt_fake_ref_01", "customer.subscription.created", _start, "active", _start.AddDays(30)));
        // The refund names no learner and its payment intent is not known yet: kept as unmatched.
        await SendAsync(Refund("evt_fake_ref_03", _start.AddDays(2), PaymentIntentOf("in_fake_ref_1")));
        await SendAsync(Invoice("evt_fake_ref_02", "invoice.paid", _start.AddSeconds(1), "in_fake_ref_1"));
        Assert.Single(await UnmatchedAsync());

        // The next reconciliation run retries the unmatched log.
        var reconciler = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<TutorClaw.Mcp.Billing.PaymentEventApplier>(_s.App.Services);
        Assert.Equal(1, await reconciler.RetryUnmatchedAsync(default));

        Assert.Equal(Tier.Free, await TierAsync());
    }

    [Fact]
    public async Task A_dispute_suspends_the_paid_tier_and_a_won_dispute_gives_it_back()
    {
        await SubscribeAsync();

        await SendAsync(Dispute("charge.dispute.created.json", "evt_fake_ref_05", _start.AddDays(3), PaymentIntentOf("in_fake_ref_1")));
        var suspended = await TierAsync();
        await SendAsync(Dispute("charge.dispute.closed.won.json", "evt_fake_ref_06", _start.AddDays(20), PaymentIntentOf("in_fake_ref_1")));

        Assert.Equal(Tier.Free, suspended);
        Assert.Equal(Tier.Paid, await TierAsync());
    }

    [Fact]
    public async Task A_lost_dispute_keeps_the_tier_free()
    {
        await SubscribeAsync();

        await SendAsync(Dispute("charge.dispute.created.json", "evt_fake_ref_05", _start.AddDays(3), PaymentIntentOf("in_fake_ref_1")));
        await SendAsync(Dispute("charge.dispute.closed.lost.json", "evt_fake_ref_06", _start.AddDays(20), PaymentIntentOf("in_fake_ref_1")));

        Assert.Equal(Tier.Free, await TierAsync());
    }

    private async Task<List<string>> UnmatchedAsync()
    {
        var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<TutorClaw.Mcp.Billing.IUnmatchedPaymentLog>(_s.App.Services);
        return [.. (await log.ListAsync(default)).Select(e => e.Event.EventId ?? "")];
    }
}
