using System.Text.Json.Nodes;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>Variations of Stripe's own event payloads, for tests that need many distinct events.</summary>
public static class StripeEvents
{
    public static string Completed(string eventId, string learnerId, DateTimeOffset created, string? sessionId = null, string? paymentIntent = null)
    {
        var node = JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!;
        node["id"] = eventId;
        node["created"] = created.ToUnixTimeSeconds();
        var session = node["data"]!["object"]!;
        session["id"] = sessionId ?? "cs_test_" + eventId;
        session["client_reference_id"] = learnerId;
        session["metadata"]!["learner_id"] = learnerId;
        session["payment_intent"] = paymentIntent ?? "pi_" + eventId;
        return node.ToJsonString();
    }
}
