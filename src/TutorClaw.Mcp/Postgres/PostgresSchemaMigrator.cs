using Npgsql;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// Brings the schema up to <see cref="PostgresSchema.LatestVersion"/> at startup. Each migration
/// runs in its own transaction holding a transaction-scoped advisory lock, so N replicas starting
/// at once take turns: the first applies a step, the others then see it applied and go on. A
/// database whose schema is newer than this build is left untouched.
/// </summary>
public sealed partial class PostgresSchemaMigrator(PostgresDatabase database, ILogger<PostgresSchemaMigrator> logger)
{
    /// <summary>pg_advisory_xact_lock key for schema changes ("TutorCl" + 1); unique to this purpose.</summary>
    public const long LockKey = 0x5475746F72436C01;

    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(PostgresSchema.Migrations, cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> (ordered, versions 1, 2, …) that the database lacks.</summary>
    public Task<SchemaMigrationResult> MigrateAsync(IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
            int? from = null;
            while (true)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", ct, ("key", LockKey)).ConfigureAwait(false);
                await ExecuteAsync(connection, VersionTable, ct).ConfigureAwait(false);
                var current = await CurrentVersionAsync(connection, ct).ConfigureAwait(false);
                from ??= current;
                if (current > known)
                {
                    return (SchemaMigrationResult)new SchemaMigrationResult.NewerThanThisBuild(current, known);
                }
                if (current == known)
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    if (from != current)
                    {
                        LogMigrated(from.Value, current, database.Location);
                    }
                    return new SchemaMigrationResult.UpToDate(from.Value, current);
                }
                var next = migrations.Single(m => m.Version == current + 1);
                await ExecuteAsync(connection, next.Sql, ct).ConfigureAwait(false);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", ct,
                    ("version", next.Version), ("name", next.Name)).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                LogApplied(next.Version, next.Name);
            }
        }, cancellationToken);

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema: applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema of {Location} migrated from version {From} to {To}")]
    private partial void LogMigrated(int from, int to, string location);
}
