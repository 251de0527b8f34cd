namespace TutorClaw.Mcp.Hosting;

public sealed class ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8000";
    public const string DefaultProductName = "TutorClaw";

    /// <summary>Longer names would crowd a phone's title bar and the pages' heading.</summary>
    public const int MaxProductNameLength = 60;

    public Uri PublicUrl { get; set; } = new("http://localhost:8000");
    public string? McpToken { get; set; }

    /// <summary>Stateful /mcp sessions (Mcp-Session-Id) instead of the stateless default.</summary>
    public bool McpStatefulSessions { get; set; }
    public int FreeChapters { get; set; } = 5;

    /// <summary>How long a past_due subscription stays paid after its first failed invoice.</summary>
    public TimeSpan PastDueGrace { get; set; } = Learners.SubscriptionRecord.DefaultPastDueGrace;

    /// <summary>ISO 3166 region (GB, US…) for phone numbers written in national format; null: only international numbers.</summary>
    public string? DefaultRegion { get; set; }

    /// <summary>How often the reconciliation run catches up with Stripe's event log; zero turns it off.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The name the learner's pages show in their title and at their top.</summary>
    public string ProductName { get; set; } = DefaultProductName;
}
