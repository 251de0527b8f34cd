namespace TutorClaw.Mcp.Postgres;

/// <summary>Where the PostgreSQL store lives (TUTORCLAW_DATABASE_URL); unset means the file store.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string; may hold a password, so it is never logged or shown.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>"host/database", safe to show in /health and logs (no user, no password).</summary>
    public string Location { get; set; } = "";

    public bool IsConfigured => ConnectionString is not null;
}
