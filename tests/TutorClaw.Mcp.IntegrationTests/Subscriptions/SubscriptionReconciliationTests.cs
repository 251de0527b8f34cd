using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>Reconciliation applies subscription events through the webhook's own path.</summary>
public sealed class SubscriptionReconciliationTests
{
    [Fact]
    public async Task A_missed_subscription_deleted_is_picked_up_by_the_run()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var now = s.App.Clock.GetUtcNow();
        var created = Subscription("evt_fake_rec_01", "customer.subscription.created", now.AddDays(-20), "active", now.AddDays(10));
        var webhook = new WebhookSender(s.App, s.App.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await webhook.SendSignedAsync(created)).StatusCode);
        Assert.Equal(Tier.Paid, (await s.App.Learners.FindAsync(id, default))!.Tier);
        s.Stripe.AddEvent(created);
        // The deletion's webhook never arrived.
        s.Stripe.AddEvent(Subscription("evt_fake_rec_02", "customer.subscription.deleted", now.AddHours(-1), "canceled", now.AddDays(10)));

        var summary = await s.App.Services.GetRequiredService<Reconciler>().RunAsync(null, null, default);

        Assert.True(summary.Completed);
        Assert.Equal(1, summary.Applied);
        Assert.Equal(1, summary.AlreadyApplied);
        Assert.Equal(Tier.Free, (await s.App.Learners.FindAsync(id, default))!.Tier);
        var list = Assert.Single(s.Stripe.Requests, r => r.Path == "/v1/events");
        foreach (var type in new[] { "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed" })
        {
            Assert.Contains(list.QueryPairs, p => p.Key.StartsWith("types[", StringComparison.Ordinal) && p.Value == type);
        }
    }
}
