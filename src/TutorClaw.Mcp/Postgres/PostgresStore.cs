using Npgsql;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// All state in one PostgreSQL database (TUTORCLAW_DATABASE_URL), shared by every replica:
/// learners, the phone index, payment-intent bindings, applied event ids, the unmatched-payments
/// log and the reconciliation cursor. Nothing is cached in the process, so no replica's memory
/// decides an outcome.
/// </summary>
public sealed class PostgresStore(PostgresDatabase database, TimeProvider clock) : IStore
{
    public string Kind => "postgres";

    public string Location => database.Location;

    public ILearnerRepository Learners { get; } = new PostgresLearnerRepository(database, clock);

    public IPaymentIntentIndex PaymentIntents { get; } = new PostgresPaymentIntentIndex(database);

    public IUnmatchedPaymentLog Unmatched { get; } = new PostgresUnmatchedPaymentLog(database);

    public IReconciliationCursorStore Reconciliation { get; } = new PostgresReconciliationCursorStore(database);

    /// <summary>Healthy while the database answers and accepts writes (a read-only standby does not).
    /// The problem names the database (host/database), never a user or password.</summary>
    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var writable = await database.RunAsync(async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            }, cancellationToken).ConfigureAwait(false);
            return writable
                ? StoreHealth.Healthy
                : StoreHealth.Unhealthy($"The PostgreSQL database {database.Location} is read-only (a standby).");
        }
        catch (StoreUnavailableException)
        {
            return StoreHealth.Unhealthy($"The PostgreSQL database {database.Location} is unreachable.");
        }
    }
}
