using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// The reconciliation cursor in PostgreSQL (one row of <c>reconciliation_cursor</c>), and the
/// one-run-at-a-time claim every replica asks for: a session-level advisory lock held on a
/// connection of its own for the length of the run (a replica that dies releases it with its session).
/// </summary>
public sealed class PostgresReconciliationCursorStore(PostgresDatabase database) : IReconciliationCursorStore
{
    /// <summary>The advisory lock key of reconciliation runs ("TCRECONC" in ASCII); the schema
    /// migrator uses a different one.</summary>
    public const long RunLockKey = 0x5443_5245_434F_4E43;

    public Task<ReconciliationCursor> ReadAsync(CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("SELECT document::text FROM reconciliation_cursor WHERE id = 1", connection);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json
                ? JsonSerializer.Deserialize(json, BillingJsonContext.Default.ReconciliationCursor) ?? new ReconciliationCursor(null, null)
                : new ReconciliationCursor(null, null);
        }, cancellationToken);

    public Task SaveAsync(ReconciliationCursor cursor, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO reconciliation_cursor (id, document, updated_at) VALUES (1, @document, now())
                ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Jsonb)
            {
                Value = JsonSerializer.Serialize(cursor, BillingJsonContext.Default.ReconciliationCursor),
            });
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IAsyncDisposable?> TryClaimRunAsync(CancellationToken cancellationToken)
    {
        var session = await database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var claimed = false;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", session);
            command.Parameters.AddWithValue("key", RunLockKey);
            claimed = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            return claimed ? new RunClaim(session) : null;
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The PostgreSQL database {database.Location} is unavailable: {e.Message}", e);
        }
        finally
        {
            if (!claimed)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class RunClaim(NpgsqlConnection session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
                command.Parameters.AddWithValue("key", RunLockKey);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its lock with it.
            }
            finally
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
