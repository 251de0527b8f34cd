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
    public static byte[] CheckoutCompleted(string eventId, string sessionId, string paymentIntentId, string learnerId, DateTimeOffset? created = null) =>
        Encoding.UTF8.GetBytes(CompletedJson(eventId, sessionId, paymentIntentId, learnerId, created));

    /// <summary>The same as JSON text, with ids derived from <paramref name="eventId"/> and the given <c>created</c> time.</summary>
    public static string Completed(string eventId, string learnerId, DateTimeOffset created) =>
        CompletedJson(eventId, "cs_test_" + eventId, "pi_" + eventId, learnerId, created);

    /// <summary>Learner <c>lrn_{tag}_{n}</c> paid by <c>evt_{tag}_{n}</c> (session <c>cs_test_{tag}_{n}</c>, intent <c>pi_{tag}_{n}</c>).</summary>
    public static PaidCheckout Paid(string tag, int n)
    {
        var suffix = $"{tag}_{n:D6}";
        var learner = "lrn_" + suffix;
        var eventId = "evt_" + suffix;
        return new PaidCheckout(learner, eventId, CheckoutCompleted(eventId, "cs_test_" + suffix, "pi_" + suffix, learner));
    }

    private static string CompletedJson(string eventId, string sessionId, string paymentIntentId, string learnerId, DateTimeOffset? created)
    {
        var root = CompletedTemplate.Value.DeepClone().AsObject();
        root["id"] = eventId;
        if (created is { } at)
        {
            root["created"] = at.ToUnixTimeSeconds();
        }
        var session = root["data"]!["object"]!.AsObject();
        session["id"] = sessionId;
        session["payment_intent"] = paymentIntentId;
        session["client_reference_id"] = learnerId;
        session["metadata"] = new JsonObject { ["learner_id"] = learnerId };
        return root.ToJsonString();
    }
}

/// <summary>One learner and the signed-later body of the event that pays for them.</summary>
public sealed record PaidCheckout(string LearnerId, string EventId, byte[] Body);
