namespace TutorClaw.Mcp.Storage;

/// <summary>Whether the store can take writes right now, as the store itself checks it.
/// <see cref="Problem"/> is one sentence naming where the store lives, never a secret.</summary>
public sealed record StoreHealth(string? Problem)
{
    public static readonly StoreHealth Healthy = new((string?)null);

    public bool IsHealthy => Problem is null;

    public static StoreHealth Unhealthy(string problem) => new(problem);
}
