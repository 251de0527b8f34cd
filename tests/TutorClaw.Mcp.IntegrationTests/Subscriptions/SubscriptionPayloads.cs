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

    /// <summary>The payment intent that pays <paramref name="invoiceId"/> in these payloads.</summary>
    public static string PaymentIntentOf(string invoiceId) => "pi_fake_" + invoiceId;

    /// <summary>An invoice event. A paid invoice includes its <c>payments</c> (one paid InvoicePayment
    /// whose <c>payment.payment_intent</c> is <see cref="PaymentIntentOf"/>) unless
    /// <paramref name="withPayments"/> is false: the field is includable, so Stripe's payloads may lack it.</summary>
    public static string Invoice(
        string eventId, string type, DateTimeOffset created, string invoiceId, string learnerId = "learner_demo", bool withPayments = true)
    {
        var paidBy = withPayments && type == "invoice.paid" ? PaymentIntentOf(invoiceId) : null;
        var invoice = new JsonObject
        {
            ["payments"] = paidBy is null ? null : new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "inpay_fake_" + invoiceId,
                    ["object"] = "invoice_payment",
                    ["amount_paid"] = 1900,
                    ["currency"] = "usd",
                    ["invoice"] = invoiceId,
                    ["is_default"] = true,
                    ["livemode"] = false,
                    ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = paidBy },
                    ["status"] = "paid",
                }),
                ["has_more"] = false,
                ["url"] = "/v1/invoice_payments?invoice=" + invoiceId,
            },
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
        };
        if (paidBy is null)
        {
            invoice.Remove("payments");
        }
        return Envelope(eventId, type, created, invoice);
    }

    /// <summary>charge.refunded of a subscription invoice's charge, from the shared Stripe event file:
    /// fully refunded, the given payment intent, and no learner metadata (Stripe puts none on an
    /// invoice's charge).</summary>
    public static string Refund(string eventId, DateTimeOffset created, string paymentIntent, bool full = true) =>
        FromSharedFile("charge.refunded.json", eventId, created, charge =>
        {
            charge["payment_intent"] = paymentIntent;
            charge["metadata"] = new JsonObject();
            charge["refunded"] = full;
            charge["amount_refunded"] = full ? 1900 : 500;
        });

    /// <summary>A dispute event (<paramref name="file"/>: charge.dispute.created.json,
    /// charge.dispute.closed.won.json, …) of the charge paid by <paramref name="paymentIntent"/>.</summary>
    public static string Dispute(string file, string eventId, DateTimeOffset created, string paymentIntent) =>
        FromSharedFile(file, eventId, created, dispute =>
        {
            dispute["id"] = "dp_fake_subscription_0001";
            dispute["payment_intent"] = paymentIntent;
            dispute["metadata"] = new JsonObject();
        });

    private static string FromSharedFile(string file, string eventId, DateTimeOffset created, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(TutorClaw.Mcp.TestSupport.SharedStripeData.ReadBytes("events/" + file))!.AsObject();
        root["id"] = eventId;
        root["created"] = created.ToUnixTimeSeconds();
        edit(root["data"]!["object"]!.AsObject());
        return root.ToJsonString();
    }

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
