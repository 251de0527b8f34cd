namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>An event served by GET /v1/events: its raw JSON and the fields used to filter and order.</summary>
internal sealed record FakeEvent(long Sequence, string Id, string Type, long Created, string RawJson);
