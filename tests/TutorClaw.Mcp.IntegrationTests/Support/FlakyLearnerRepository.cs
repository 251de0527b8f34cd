using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Support;

public sealed class FailingRepositorySwitch
{
    public volatile bool Fail;
}

/// <summary>The real repository, except that writes fail like a full disk while the switch is on.</summary>
public sealed class FlakyLearnerRepository(ILearnerRepository inner, FailingRepositorySwitch failing) : ILearnerRepository
{
    public string Kind => inner.Kind;

    public string Location => inner.Location;

    public Task<Learner?> FindAsync(LearnerId id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task<bool> TryCreateAsync(Learner learner, CancellationToken cancellationToken) =>
        failing.Fail ? throw new IOException("No space left on device") : inner.TryCreateAsync(learner, cancellationToken);

    public Task<Learner?> UpdateAsync(LearnerId id, Func<Learner, Learner> change, CancellationToken cancellationToken) =>
        failing.Fail ? throw new IOException("No space left on device") : inner.UpdateAsync(id, change, cancellationToken);

    public Task<LearnerId> ClaimPhoneAsync(string phoneKey, LearnerId candidate, CancellationToken cancellationToken) =>
        failing.Fail ? throw new IOException("No space left on device") : inner.ClaimPhoneAsync(phoneKey, candidate, cancellationToken);

    public Task<Learner?> FindByUpgradeTokenAsync(string token, CancellationToken cancellationToken) => inner.FindByUpgradeTokenAsync(token, cancellationToken);

    public IAsyncEnumerable<LearnerId> ListIdsAsync(CancellationToken cancellationToken) => inner.ListIdsAsync(cancellationToken);
}
