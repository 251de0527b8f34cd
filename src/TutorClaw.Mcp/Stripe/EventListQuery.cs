namespace TutorClaw.Mcp.Stripe;

/// <summary>GET /v1/events filters: exact types, created at or after, resuming after an event id,
/// and the page size.</summary>
public sealed record EventListQuery(
    IReadOnlyList<string> Types,
    DateTimeOffset? CreatedAtOrAfter,
    string? StartingAfter,
    int Limit = 100);
