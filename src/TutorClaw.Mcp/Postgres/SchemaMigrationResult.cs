namespace TutorClaw.Mcp.Postgres;

/// <summary>What bringing the schema up to date found.</summary>
public abstract record SchemaMigrationResult
{
    private SchemaMigrationResult()
    {
    }

    /// <summary>The schema is at this build's version now (<paramref name="From"/> equal to <paramref name="To"/>: nothing to do).</summary>
    public sealed record UpToDate(int From, int To) : SchemaMigrationResult;

    /// <summary>The database was migrated by a newer build; this one must not touch it.</summary>
    public sealed record NewerThanThisBuild(int Found, int Known) : SchemaMigrationResult;
}
