namespace TutorClaw.Mcp.Learners;

/// <summary>Where learners live. Every read sees the latest committed write; there is no cache.</summary>
public interface ILearnerRepository
{
    /// <summary>"file" for the embedded store; shown by /health.</summary>
    string Kind { get; }

    /// <summary>Where the store lives (a directory for the file store); shown by /health.</summary>
    string Location { get; }

    Task<Learner?> FindAsync(LearnerId id, CancellationToken cancellationToken);

    /// <summary>Whether the learner is registered; a store may answer without reading the document
    /// (the webhook asks this of every event before it updates the learner).</summary>
    async Task<bool> ExistsAsync(LearnerId id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Stores a new learner; false when one with that id already exists (nothing is overwritten).</summary>
    Task<bool> TryCreateAsync(Learner learner, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the learner, applies <paramref name="change"/> and stores the result, serialized with
    /// every other update of the same learner so none is lost. <paramref name="change"/> returning
    /// its argument unchanged (the same instance) means "nothing to do": nothing is written.
    /// Returns the learner as stored afterwards, or null when there is no such learner.
    /// </summary>
    Task<Learner?> UpdateAsync(LearnerId id, Func<Learner, Learner> change, CancellationToken cancellationToken);

    /// <summary>
    /// Binds a phone key to <paramref name="candidate"/> unless it is bound already; returns the
    /// learner the key is bound to afterwards. Atomic, so two registrations of one phone agree.
    /// </summary>
    Task<LearnerId> ClaimPhoneAsync(string phoneKey, LearnerId candidate, CancellationToken cancellationToken);

    /// <summary>
    /// The learner whose <see cref="Learner.UpgradeToken"/> is exactly <paramref name="token"/>, or
    /// null. Served by an index the store keeps up to date on every update that sets, changes or
    /// clears the token; never a scan. A token that was replaced finds nobody.
    /// </summary>
    Task<Learner?> FindByUpgradeTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Every learner id in the store (for operators and reconciliation).</summary>
    IAsyncEnumerable<LearnerId> ListIdsAsync(CancellationToken cancellationToken);
}
