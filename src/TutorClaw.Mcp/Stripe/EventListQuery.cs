namespace TutorClaw.Mcp.Stripe;

/// <summary>GET /v1/events filters: exact types (types[n]), created[gte], paging after an event id.</summary>
public sealed record EventListQuery(
    IReadOnlyList<string> Types,
    DateTimeOffset? CreatedAtOrAfter,
    string? StartingAfter,
    int Limit = 100);
