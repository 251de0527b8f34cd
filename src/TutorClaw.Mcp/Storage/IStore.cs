using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// All state, behind one abstraction: learners (with their applied event ids, the dedupe memory,
/// kept in the same record as their effect), the phone index, payment-intent bindings, the
/// unmatched-payments log and the reconciliation cursor. One store serves every part, so another
/// store (PostgreSQL) replaces all of them at once; nothing else knows which store runs.
/// </summary>
public interface IStore
{
    /// <summary>"file" for the embedded store; shown by /health.</summary>
    string Kind { get; }

    /// <summary>Where the store lives; shown by /health.</summary>
    string Location { get; }

    ILearnerRepository Learners { get; }

    IPaymentIntentIndex PaymentIntents { get; }

    IUnmatchedPaymentLog Unmatched { get; }

    IReconciliationCursorStore Reconciliation { get; }

    /// <summary>Runs two independent pieces of work side by side and returns once both are done (a
    /// failure of either fails the whole, but never before the other has finished). A store that can
    /// make their writes durable together does: the file store's journal commits the first write of
    /// each in one flush.</summary>
    Task WriteSideBySideAsync(Func<Task> first, Func<Task> second) => SideBySide.RunAsync(first, second);

    /// <summary>Whether the store can take writes now, checked the store's own way (/health).</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken);
}
