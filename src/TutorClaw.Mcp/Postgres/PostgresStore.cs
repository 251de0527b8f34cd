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
}
