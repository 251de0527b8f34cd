using System.Text.Json.Nodes;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>
/// Subscription and invoice events as Stripe sends them at API 2026-10-28.endive, built from the
/// Stripe.net 53.1.0 models and Stripe's API reference: the billing period is on the subscription
/// items (<c>items.data[].current_period_end</c>), and an invoice names its subscription under
/// <c>parent.subscription_details</c> with a snapshot of the subscription's metadata.
/// </summary>
public static class SubscriptionPayloads
{
    public const string SubscriptionId = "sub_fake_monthly_0001";
    public const string CustomerId = "cus_fake_learner_0001";

    public static string Subscription(
        string eventId, string type, DateTimeOffset created, string status, DateTimeOffset periodEnd,
        bool cancelAtPeriodEnd = false, string learnerId = "learner_demo") =>
        Envelope(eventId, type, created, new JsonObject
        {
            ["id"] = SubscriptionId,
            ["object"] = "subscription",
            ["customer"] = CustomerId,
            ["status"] = status,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["canceled_at"] = status == "canceled" ? created.ToUnixTimeSeconds() : null,
            ["created"] = created.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = new JsonObject { ["learner_id"] = learnerId },
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_fake_monthly_0001",
                    ["object"] = "subscription_item",
                    ["current_period_start"] = periodEnd.AddMonths(-1).ToUnixTimeSeconds(),
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                    ["price"] = new JsonObject { ["id"] = "price_fake_monthly_0001", ["object"] = "price", ["type"] = "recurring" },
                    ["quantity"] = 1,
                    ["subscription"] = SubscriptionId,
                }),
                ["has_more"] = false,
                ["url"] = "/v1/subscription_items?subscription=" + SubscriptionId,
            },
        });

    public static string Invoice(string eventId, string type, DateTimeOffset created, string invoiceId, string learnerId = "learner_demo") =>
        Envelope(eventId, type, created, new JsonObject
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["customer"] = CustomerId,
            ["status"] = type == "invoice.paid" ? "paid" : "open",
            ["billing_reason"] = "subscription_cycle",
            ["livemode"] = false,
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject
                {
                    ["subscription"] = SubscriptionId,
                    ["metadata"] = new JsonObject { ["learner_id"] = learnerId },
                },
            },
        });

    private static string Envelope(string eventId, string type, DateTimeOffset created, JsonObject obj) => new JsonObject
    {
        ["id"] = eventId,
        ["object"] = "event",
        ["api_version"] = "2026-10-28.endive",
        ["created"] = created.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = obj },
    }.ToJsonString();
}
