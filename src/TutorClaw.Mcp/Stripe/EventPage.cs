using System.Text.Json;

namespace TutorClaw.Mcp.Stripe;

/// <summary>One page of events. Each event is kept as raw JSON so it goes through exactly the
/// same parser as a webhook body.</summary>
public sealed record EventPage(IReadOnlyList<JsonElement> Events, bool HasMore);
