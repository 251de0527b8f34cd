using System.Text;
using System.Text.Json.Nodes;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// Event bodies built from the shared Stripe event files with our own ids, for tests that need
/// many distinct events: every field the server does not read stays exactly as Stripe wrote it.
/// </summary>
public static class StripeEvents
{
    private static readonly Lazy<JsonObject> CompletedTemplate =
        new(() => JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!.AsObject());

    /// <summary>A paid <c>checkout.session.completed</c> for <paramref name="learnerId"/> with the given ids.</summary>
    public static byte[] CheckoutCompleted(string eventId, string sessionId, string paymentIntentId, string learnerId)
    {
        var root = CompletedTemplate.Value.DeepClone().AsObject();
        root["id"] = eventId;
        var session = root["data"]!["object"]!.AsObject();
        session["id"] = sessionId;
        session["payment_intent"] = paymentIntentId;
        session["client_reference_id"] = learnerId;
        session["metadata"] = new JsonObject { ["learner_id"] = learnerId };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Learner <c>lrn_{tag}_{n}</c> paid by <c>evt_{tag}_{n}</c> (session <c>cs_test_{tag}_{n}</c>, intent <c>pi_{tag}_{n}</c>).</summary>
    public static PaidCheckout Paid(string tag, int n)
    {
        var suffix = $"{tag}_{n:D6}";
        var learner = "lrn_" + suffix;
        var eventId = "evt_" + suffix;
        return new PaidCheckout(learner, eventId, CheckoutCompleted(eventId, "cs_test_" + suffix, "pi_" + suffix, learner));
    }
}

/// <summary>One learner and the signed-later body of the event that pays for them.</summary>
public sealed record PaidCheckout(string LearnerId, string EventId, byte[] Body);
