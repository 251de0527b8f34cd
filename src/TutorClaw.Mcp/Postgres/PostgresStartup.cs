using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

public static class PostgresStartup
{
    /// <summary>
    /// Before any door opens (and before a command runs): when the PostgreSQL store is configured,
    /// brings its schema up to date. Returns null when the store is ready, or the one line that says
    /// why the process must not start (unreachable database, schema newer than this build).
    /// </summary>
    public static async Task<string?> PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<PostgresOptions>>().Value;
        if (!options.IsConfigured)
        {
            return null;
        }
        try
        {
            return await services.GetRequiredService<PostgresSchemaMigrator>().MigrateAsync(cancellationToken) switch
            {
                SchemaMigrationResult.NewerThanThisBuild newer =>
                    $"the PostgreSQL database {options.Location} has schema version {newer.Found}, newer than this build knows " +
                    $"({newer.Known}); run the newer TutorClaw that migrated it.",
                _ => null,
            };
        }
        catch (StoreUnavailableException e)
        {
            return e.Message.ReplaceLineEndings(" ") + " (TUTORCLAW_DATABASE_URL)";
        }
    }
}
