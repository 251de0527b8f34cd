using System.Net;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>Issue 16: the tier follows the subscription, through the signed /webhook and the real MCP tools.</summary>
public sealed class SubscriptionLifecycleTests : IDisposable
{
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");
    private readonly TutorClawApp _app = new();
    private readonly WebhookSender _webhook;
    private readonly DateTimeOffset _start;

    public SubscriptionLifecycleTests()
    {
        _webhook = new WebhookSender(_app, _app.CreateClient());
        _start = _app.Clock.GetUtcNow();
        Assert.True(_app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", _start), default).GetAwaiter().GetResult());
    }

    public void Dispose() => _app.Dispose();

    private DateTimeOffset Day(int n) => _start.AddDays(n);

    private async Task SendAsync(string body)
    {
        var response = await _webhook.SendSignedAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> TierAsync()
    {
        await using var mcp = await InProcessMcp.ConnectAsync(_app.Services);
        var result = await mcp.CallAsync("get_learner_tier", new { learner_id = Demo.Value });
        Assert.NotEqual(true, result.IsError);
        return result.StructuredContent!.Value;
    }

    private async Task<bool> ChapterAsync(int chapter)
    {
        await using var mcp = await InProcessMcp.ConnectAsync(_app.Services);
        var result = await mcp.CallAsync("check_chapter_access", new { learner_id = Demo.Value, chapter });
        return result.StructuredContent!.Value.GetProperty("allowed").GetBoolean();
    }

    private async Task<Tier> StoredTierAsync() => (await _app.Learners.FindAsync(Demo, default))!.Tier;

    [Fact]
    public async Task The_whole_lifecycle_subscribe_renew_fail_within_grace_fixed_fail_past_grace_cancel_at_period_end_and_deleted()
    {
        // Subscribe: created (incomplete), first invoice paid, updated to active.
        await SendAsync(Subscription("evt_fake_sub_01", "customer.subscription.created", Day(0), "incomplete", Day(30)));
        Assert.Equal(Tier.Free, await StoredTierAsync());
        await SendAsync(Invoice("evt_fake_sub_02", "invoice.paid", Day(0).AddSeconds(1), "in_fake_0001"));
        await SendAsync(Subscription("evt_fake_sub_03", "customer.subscription.updated", Day(0).AddSeconds(2), "active", Day(30)));
        var tier = await TierAsync();
        Assert.Equal("paid", tier.GetProperty("tier").GetString());
        Assert.Equal("monthly", tier.GetProperty("plan").GetString());
        Assert.Equal(Day(30), tier.GetProperty("renews_at").GetDateTimeOffset());
        Assert.StartsWith("Paid, renews on ", tier.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(await ChapterAsync(40));
        Assert.Equal(CustomerId, (await _app.Learners.FindAsync(Demo, default))!.StripeCustomerId);

        // Renew.
        _app.Clock.Set(Day(30));
        await SendAsync(Invoice("evt_fake_sub_04", "invoice.paid", Day(30), "in_fake_0002"));
        await SendAsync(Subscription("evt_fake_sub_05", "customer.subscription.updated", Day(30).AddSeconds(1), "active", Day(60)));
        Assert.Equal(Day(60), (await TierAsync()).GetProperty("renews_at").GetDateTimeOffset());

        // Payment fails: past_due, still paid within the grace (3 days from the first failure).
        _app.Clock.Set(Day(60));
        await SendAsync(Invoice("evt_fake_sub_06", "invoice.payment_failed", Day(60), "in_fake_0003"));
        await SendAsync(Subscription("evt_fake_sub_07", "customer.subscription.updated", Day(60).AddSeconds(1), "past_due", Day(90)));
        _app.Clock.Set(Day(62));
        tier = await TierAsync();
        Assert.Equal("paid", tier.GetProperty("tier").GetString());
        Assert.Equal(Day(63), tier.GetProperty("past_due").GetProperty("grace_ends_at").GetDateTimeOffset());
        Assert.Equal("Payment failed: paid until " + TierChange.Day(Day(63)) + " unless the card is updated. Every chapter is open.",
            tier.GetProperty("summary").GetString());
        Assert.True(await ChapterAsync(40));

        // Card fixed: paid again, past_due gone.
        await SendAsync(Invoice("evt_fake_sub_08", "invoice.paid", Day(62), "in_fake_0003"));
        await SendAsync(Subscription("evt_fake_sub_09", "customer.subscription.updated", Day(62).AddSeconds(1), "active", Day(90)));
        tier = await TierAsync();
        Assert.Equal(JsonValueKind.Null, tier.GetProperty("past_due").ValueKind);

        // Fails again and the grace runs out with no further event: free at the next read.
        _app.Clock.Set(Day(90));
        await SendAsync(Invoice("evt_fake_sub_10", "invoice.payment_failed", Day(90), "in_fake_0004"));
        await SendAsync(Subscription("evt_fake_sub_11", "customer.subscription.updated", Day(90).AddSeconds(1), "past_due", Day(120)));
        _app.Clock.Set(Day(93).AddMinutes(1));
        Assert.Equal("free", (await TierAsync()).GetProperty("tier").GetString());
        Assert.False(await ChapterAsync(40));

        // Fixed again; then cancelled at period end: paid until the period ends, and says so.
        await SendAsync(Invoice("evt_fake_sub_12", "invoice.paid", Day(93).AddMinutes(1), "in_fake_0004"));
        await SendAsync(Subscription("evt_fake_sub_13", "customer.subscription.updated", Day(93).AddMinutes(2), "active", Day(120)));
        Assert.Equal(Tier.Paid, await StoredTierAsync());
        await SendAsync(Subscription("evt_fake_sub_14", "customer.subscription.updated", Day(100), "active", Day(120), cancelAtPeriodEnd: true));
        tier = await TierAsync();
        Assert.Equal("paid", tier.GetProperty("tier").GetString());
        Assert.True(tier.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal(Day(120), tier.GetProperty("ends_at").GetDateTimeOffset());
        Assert.Contains("access ends on " + TierChange.Day(Day(120)), tier.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // Deleted at the period end: free.
        _app.Clock.Set(Day(120));
        await SendAsync(Subscription("evt_fake_sub_15", "customer.subscription.deleted", Day(120), "canceled", Day(120)));
        Assert.Equal(Tier.Free, await StoredTierAsync());
        tier = await TierAsync();
        Assert.Equal("free", tier.GetProperty("tier").GetString());
        Assert.Equal("subscription_ended", tier.GetProperty("last_change").GetProperty("cause").GetString());
    }

    [Fact]
    public async Task An_updated_before_its_created_ends_paid()
    {
        await SendAsync(Subscription("evt_fake_ooo_02", "customer.subscription.updated", Day(0).AddSeconds(5), "active", Day(30)));
        await SendAsync(Subscription("evt_fake_ooo_01", "customer.subscription.created", Day(0), "incomplete", Day(30)));

        Assert.Equal(Tier.Paid, await StoredTierAsync());
        Assert.Equal("active", Assert.Single((await _app.Learners.FindAsync(Demo, default))!.Subscriptions).Status);
    }

    [Fact]
    public async Task A_deleted_before_the_last_updated_is_not_revived()
    {
        await SendAsync(Subscription("evt_fake_del_01", "customer.subscription.created", Day(0), "active", Day(30)));
        await SendAsync(Subscription("evt_fake_del_03", "customer.subscription.deleted", Day(20), "canceled", Day(30)));
        // Late, and even stamped later than the deletion (clock skew between Stripe's services).
        await SendAsync(Subscription("evt_fake_del_02", "customer.subscription.updated", Day(10), "active", Day(30), cancelAtPeriodEnd: true));
        await SendAsync(Subscription("evt_fake_del_04", "customer.subscription.updated", Day(21), "active", Day(60)));

        Assert.Equal(Tier.Free, await StoredTierAsync());
        Assert.Equal("canceled", Assert.Single((await _app.Learners.FindAsync(Demo, default))!.Subscriptions).Status);
    }

    [Fact]
    public async Task A_duplicate_invoice_paid_changes_nothing()
    {
        await SendAsync(Subscription("evt_fake_dup_01", "customer.subscription.created", Day(0), "active", Day(30)));
        var paid = Invoice("evt_fake_dup_02", "invoice.paid", Day(0).AddSeconds(1), "in_fake_dup");
        await SendAsync(paid);
        var once = await File.ReadAllTextAsync(Path.Combine(_app.DataDirectory, "learners", "learner_demo.json"));

        await SendAsync(paid);

        Assert.Equal(once, await File.ReadAllTextAsync(Path.Combine(_app.DataDirectory, "learners", "learner_demo.json")));
    }

    [Fact]
    public async Task A_one_time_buyer_stays_paid_when_a_later_subscription_ends()
    {
        Assert.Equal(HttpStatusCode.OK, (await _webhook.SendEventFileAsync("checkout.session.completed.json")).StatusCode);
        await SendAsync(Subscription("evt_fake_both_01", "customer.subscription.created", Day(1), "active", Day(30)));
        await SendAsync(Subscription("evt_fake_both_02", "customer.subscription.deleted", Day(2), "canceled", Day(30)));

        Assert.Equal(Tier.Paid, await StoredTierAsync());
        Assert.Equal("one_time", (await TierAsync()).GetProperty("plan").GetString());
    }

    [Fact]
    public async Task An_operator_revoke_holds_against_an_older_active_subscription_and_a_grant_against_its_deletion()
    {
        await SendAsync(Subscription("evt_fake_op_01", "customer.subscription.created", Day(0), "active", Day(30)));
        _app.Clock.Set(Day(1));
        await _app.Learners.UpdateAsync(Demo, l => TierRules.DecideByOperator(l, OperatorAction.Revoke, "shared account", Day(1)), default);
        await SendAsync(Invoice("evt_fake_op_02", "invoice.paid", Day(0).AddSeconds(1), "in_fake_op"));
        Assert.Equal(Tier.Free, await StoredTierAsync());

        await _app.Learners.UpdateAsync(Demo, l => TierRules.DecideByOperator(l, OperatorAction.Grant, "scholarship", Day(1)), default);
        await SendAsync(Subscription("evt_fake_op_03", "customer.subscription.deleted", Day(2), "canceled", Day(30)));
        Assert.Equal(Tier.Paid, await StoredTierAsync());
    }
}
