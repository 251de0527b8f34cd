using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Learners;

/// <summary>
/// What every <see cref="ILearnerRepository"/> promises, whichever store runs: one test class, one
/// subclass per store (<see cref="FileLearnerRepositoryContractTests"/>,
/// <c>PostgresLearnerRepositoryContractTests</c>). <see cref="OpenAsync"/> gives another view of
/// the same store, as a second process or replica would have.
/// </summary>
public abstract class LearnerRepositoryContract : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;
    private readonly List<ILearnerRepository> _opened = [];
    private ILearnerRepository? _repository;

    protected ManualClock Clock { get; } = new();

    protected ILearnerRepository Repository => _repository ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        await PrepareStoreAsync();
        _repository = await OpenTrackedAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var repository in _opened)
        {
            if (repository is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (repository is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
        await RemoveStoreAsync();
    }

    /// <summary>Creates this test's empty store.</summary>
    protected abstract Task PrepareStoreAsync();

    /// <summary>Deletes this test's store.</summary>
    protected abstract Task RemoveStoreAsync();

    /// <summary>A new repository on this test's store (its own locks, pool or connections).</summary>
    protected abstract Task<ILearnerRepository> OpenAsync();

    /// <summary>Changes whenever the stored learner is written, even with equal content; null when it is not stored.</summary>
    protected abstract Task<string?> StoredVersionAsync(LearnerId id);

    [Fact]
    public async Task A_created_learner_is_found_with_every_field()
    {
        var learner = SampleLearner();

        Assert.True(await Repository.TryCreateAsync(learner, None));
        var found = await Repository.FindAsync(learner.LearnerId, None);

        Assert.NotNull(found);
        Assert.Equal(learner.LearnerId, found.LearnerId);
        Assert.Equal("Ada Lovelace", found.Name);
        Assert.Equal(learner.CreatedAt, found.CreatedAt);
        Assert.Equal(learner.UpdatedAt, found.UpdatedAt);
        Assert.Equal(learner.TierChangedAt, found.TierChangedAt);
        Assert.Equal(["evt_1", "evt_2"], found.AppliedEventIds);
        Assert.Equal(Tier.Paid, found.Tier);
        Assert.Equal(learner.Checkouts[0], Assert.Single(found.Checkouts));
    }

    [Fact]
    public async Task An_unknown_learner_is_not_found()
    {
        Assert.Null(await Repository.FindAsync(LearnerId.Parse("nobody"), None));
    }

    [Fact]
    public async Task Creating_a_learner_twice_keeps_the_first_writes_nothing_and_reports_false()
    {
        var id = LearnerId.Parse("twice");
        Assert.True(await Repository.TryCreateAsync(Learner.CreateFree(id, "First", Clock.GetUtcNow()), None));
        var version = await StoredVersionAsync(id);

        var created = await Repository.TryCreateAsync(Learner.CreateFree(id, "Second", Clock.GetUtcNow().AddHours(1)), None);

        Assert.False(created);
        Assert.Equal(version, await StoredVersionAsync(id));
        Assert.Equal("First", (await Repository.FindAsync(id, None))!.Name);
        Assert.Equal([id], await ToListAsync(Repository.ListIdsAsync(None)));
    }

    [Fact]
    public async Task Sixteen_concurrent_creates_of_one_id_have_exactly_one_winner()
    {
        var id = LearnerId.Parse("contested");
        var other = await OpenTrackedAsync();
        using var start = new ManualResetEventSlim();

        var creates = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var learner = Learner.CreateFree(id, $"Creator {i}", Clock.GetUtcNow());
            return (Name: learner.Name, Created: await (i % 2 == 0 ? Repository : other).TryCreateAsync(learner, None));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(creates);

        var winner = Assert.Single(results, r => r.Created);
        Assert.Equal(winner.Name, (await other.FindAsync(id, None))!.Name);
    }

    [Fact]
    public async Task An_update_is_stored_and_stamped_with_the_clock()
    {
        var id = await CreateAsync("stamped");
        Clock.Advance(TimeSpan.FromMinutes(3));

        var updated = await Repository.UpdateAsync(id, l => l with { Name = "Renamed" }, None);

        Assert.NotNull(updated);
        Assert.Equal(Clock.GetUtcNow(), updated.UpdatedAt);
        var found = await Repository.FindAsync(id, None);
        Assert.Equal("Renamed", found!.Name);
        Assert.Equal(Clock.GetUtcNow(), found.UpdatedAt);
        Assert.Equal(ManualClock.Start, found.CreatedAt);
    }

    [Fact]
    public async Task Updating_an_unknown_learner_returns_null_and_creates_nothing()
    {
        var called = false;

        var result = await Repository.UpdateAsync(LearnerId.Parse("ghost"), l => { called = true; return l; }, None);

        Assert.Null(result);
        Assert.False(called);
        Assert.Null(await StoredVersionAsync(LearnerId.Parse("ghost")));
        Assert.Empty(await ToListAsync(Repository.ListIdsAsync(None)));
    }

    [Fact]
    public async Task An_update_may_not_change_the_learner_id()
    {
        var id = await CreateAsync("keeps_id");
        var version = await StoredVersionAsync(id);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Repository.UpdateAsync(id, l => l with { LearnerId = LearnerId.Parse("other") }, None));

        Assert.Equal(version, await StoredVersionAsync(id));
        Assert.Null(await Repository.FindAsync(LearnerId.Parse("other"), None));
    }

    [Fact]
    public async Task A_change_that_throws_stores_nothing_and_the_next_update_succeeds()
    {
        var id = await CreateAsync("thrower");
        var version = await StoredVersionAsync(id);

        await Assert.ThrowsAsync<FormatException>(() => Repository.UpdateAsync(id, _ => throw new FormatException("no"), None));

        Assert.Equal(version, await StoredVersionAsync(id));
        var updated = await Repository.UpdateAsync(id, l => l with { Name = "After" }, None);
        Assert.Equal("After", updated!.Name);
    }

    [Fact]
    public async Task An_update_returning_the_same_instance_writes_nothing()
    {
        var id = await CreateAsync("unchanged");
        var version = await StoredVersionAsync(id);
        Clock.Advance(TimeSpan.FromHours(1));

        var result = await Repository.UpdateAsync(id, l => l, None);

        Assert.Equal(version, await StoredVersionAsync(id));
        Assert.Equal(ManualClock.Start, result!.UpdatedAt);
        Assert.Equal(ManualClock.Start, (await Repository.FindAsync(id, None))!.UpdatedAt);
    }

    [Fact]
    public async Task Sixty_four_concurrent_updates_of_one_learner_lose_nothing()
    {
        var id = await CreateAsync("busy");
        using var start = new ManualResetEventSlim();

        var updates = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await Repository.UpdateAsync(id, l => l with { AppliedEventIds = [.. l.AppliedEventIds, $"evt_{i}"] }, None);
        })).ToList();
        start.Set();
        await Task.WhenAll(updates);

        var stored = await Repository.FindAsync(id, None);
        Assert.Equal(
            Enumerable.Range(0, 64).Select(i => $"evt_{i}").Order(StringComparer.Ordinal),
            stored!.AppliedEventIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_updates_through_two_repositories_on_one_store_lose_nothing()
    {
        var other = await OpenTrackedAsync();
        var id = await CreateAsync("shared");
        using var start = new ManualResetEventSlim();

        var updates = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await (i % 2 == 0 ? Repository : other).UpdateAsync(id, l => l with { AppliedEventIds = [.. l.AppliedEventIds, $"evt_{i}"] }, None);
        })).ToList();
        start.Set();
        await Task.WhenAll(updates);

        var stored = await other.FindAsync(id, None);
        Assert.Equal(32, stored!.AppliedEventIds.Distinct().Count());
        Assert.Equal(32, stored.AppliedEventIds.Count);
    }

    [Fact]
    public async Task An_upgrade_token_finds_its_learner_through_another_repository_until_it_is_replaced_or_cleared()
    {
        var other = await OpenTrackedAsync();
        var id = await CreateAsync("token");
        await CreateAsync("bystander");
        Assert.Null(await Repository.FindByUpgradeTokenAsync("tok_first_AAAAAAAAAAAAAAAAAAAAAAAA", None));

        await Repository.UpdateAsync(id, l => l with { UpgradeToken = "tok_first_AAAAAAAAAAAAAAAAAAAAAAAA" }, None);
        Assert.Equal(id, (await other.FindByUpgradeTokenAsync("tok_first_AAAAAAAAAAAAAAAAAAAAAAAA", None))?.LearnerId);
        // Case matters: base64url tokens differing only in case are different tokens.
        Assert.Null(await other.FindByUpgradeTokenAsync("TOK_FIRST_AAAAAAAAAAAAAAAAAAAAAAAA", None));

        await other.UpdateAsync(id, l => l with { UpgradeToken = "tok_second_BBBBBBBBBBBBBBBBBBBBBBB" }, None);
        Assert.Null(await Repository.FindByUpgradeTokenAsync("tok_first_AAAAAAAAAAAAAAAAAAAAAAAA", None));
        Assert.Equal(id, (await Repository.FindByUpgradeTokenAsync("tok_second_BBBBBBBBBBBBBBBBBBBBBBB", None))?.LearnerId);

        await Repository.UpdateAsync(id, l => l with { UpgradeToken = null }, None);
        Assert.Null(await other.FindByUpgradeTokenAsync("tok_second_BBBBBBBBBBBBBBBBBBBBBBB", None));
    }

    [Fact]
    public async Task An_update_through_one_repository_is_seen_by_another_at_once()
    {
        var other = await OpenTrackedAsync();
        var id = await CreateAsync("seen");
        Assert.Equal("Learner seen", (await other.FindAsync(id, None))!.Name);

        await Repository.UpdateAsync(id, l => l with { Name = "Changed" }, None);

        Assert.Equal("Changed", (await other.FindAsync(id, None))!.Name);
        await other.UpdateAsync(id, l => l with { AppliedEventIds = ["evt_other"] }, None);
        var back = await Repository.FindAsync(id, None);
        Assert.Equal("Changed", back!.Name);
        Assert.Equal(["evt_other"], back.AppliedEventIds);
    }

    [Fact]
    public async Task A_new_learner_created_through_one_repository_is_listed_and_found_by_another()
    {
        var other = await OpenTrackedAsync();

        var id = await CreateAsync("newcomer");

        Assert.NotNull(await other.FindAsync(id, None));
        Assert.Contains(id, await ToListAsync(other.ListIdsAsync(None)));
    }

    [Fact]
    public async Task ListIds_returns_every_learner_once()
    {
        var ids = new List<LearnerId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync($"l{i}"));
        }

        var listed = await ToListAsync(Repository.ListIdsAsync(None));

        Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal), listed.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sixteen_concurrent_claims_of_one_phone_through_two_repositories_all_get_the_same_winner()
    {
        var key = PhoneNormalizer.Key("+15551234567");
        var candidates = Enumerable.Range(0, 16).Select(i => LearnerId.Parse($"candidate_{i}")).ToList();
        var other = await OpenTrackedAsync();
        using var start = new ManualResetEventSlim();

        var claims = candidates.Select((candidate, i) => Task.Run(async () =>
        {
            start.Wait();
            return await (i % 2 == 0 ? Repository : other).ClaimPhoneAsync(key, candidate, None);
        })).ToList();
        start.Set();
        var winners = await Task.WhenAll(claims);

        var winner = Assert.Single(winners.Distinct());
        Assert.Contains(winner, candidates);
        Assert.Equal(winner, await Repository.ClaimPhoneAsync(key, LearnerId.Parse("latecomer"), None));
    }

    [Fact]
    public async Task Different_phones_are_claimed_by_their_own_candidates()
    {
        var first = await Repository.ClaimPhoneAsync(PhoneNormalizer.Key("+15550000001"), LearnerId.Parse("one"), None);
        var second = await Repository.ClaimPhoneAsync(PhoneNormalizer.Key("+15550000002"), LearnerId.Parse("two"), None);

        Assert.Equal(LearnerId.Parse("one"), first);
        Assert.Equal(LearnerId.Parse("two"), second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../learners/x")]
    [InlineData("ABCDEF")]
    [InlineData("+15551234567")]
    public async Task A_phone_key_that_is_not_a_lowercase_digest_is_rejected(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.ClaimPhoneAsync(key, LearnerId.Parse("x"), None));

        Assert.Equal(LearnerId.Parse("y"), await Repository.ClaimPhoneAsync(PhoneNormalizer.Key("+15551234567"), LearnerId.Parse("y"), None));
    }

    [Fact]
    public async Task The_first_rewrite_of_a_document_from_elsewhere_records_the_hand_edit_indexes_its_phone_and_stamps_the_schema()
    {
        var id = LearnerId.Parse("lrn_tutorial");
        var written = Learner.CreateFree(id, "Tutorial learner", Clock.GetUtcNow()) with
        {
            // As the tutorial writes it: an older schema, a phone in the document, a tier set by hand.
            SchemaVersion = 0,
            Phone = "+1 555 010 0009",
            Tier = Tier.Paid,
        };
        Assert.True(await Repository.TryCreateAsync(written, None));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var rewritten = await (await OpenTrackedAsync()).UpdateAsync(id, l => l with { Name = "Renamed" }, None);

        Assert.NotNull(rewritten);
        var stored = await Repository.FindAsync(id, None);
        Assert.NotNull(stored);
        Assert.Equal("Renamed", stored.Name);
        Assert.Equal(Tier.Paid, stored.Tier);
        Assert.Equal(OperatorAction.HandEdit, Assert.Single(stored.OperatorFacts).Action);
        Assert.Equal(Learner.CurrentSchemaVersion, stored.SchemaVersion);
        Assert.Null(stored.Phone);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(id, await Repository.ClaimPhoneAsync(PhoneNormalizer.Key("+15550100009"), LearnerId.Parse("latecomer"), None));
    }

    [Fact]
    public async Task Adopting_a_phone_already_bound_to_another_learner_leaves_it_theirs_and_still_drops_it_from_the_document()
    {
        var owner = LearnerId.Parse("lrn_owner");
        var key = PhoneNormalizer.Key("+15550100009");
        Assert.Equal(owner, await Repository.ClaimPhoneAsync(key, owner, None));
        var id = LearnerId.Parse("lrn_tutorial");
        Assert.True(await Repository.TryCreateAsync(
            Learner.CreateFree(id, "Tutorial learner", Clock.GetUtcNow()) with { SchemaVersion = 0, Phone = "+15550100009" }, None));

        await Repository.UpdateAsync(id, l => l with { Name = "Renamed" }, None);

        Assert.Null((await Repository.FindAsync(id, None))!.Phone);
        Assert.Equal(owner, await Repository.ClaimPhoneAsync(key, id, None));
    }

    [Fact]
    public async Task A_hand_edited_tier_is_recorded_before_the_change_sees_the_learner_and_nothing_is_written_when_the_change_declines()
    {
        var id = LearnerId.Parse("lrn_edited");
        Assert.True(await Repository.TryCreateAsync(Learner.CreateFree(id, "Edited", Clock.GetUtcNow()) with { Tier = Tier.Paid }, None));
        var version = await StoredVersionAsync(id);
        Learner? seen = null;

        var returned = await Repository.UpdateAsync(id, l => seen = l, None);

        Assert.NotNull(seen);
        Assert.Equal(OperatorAction.HandEdit, Assert.Single(seen.OperatorFacts).Action);
        Assert.Same(seen, returned);
        Assert.Equal(version, await StoredVersionAsync(id));
        Assert.Empty((await Repository.FindAsync(id, None))!.OperatorFacts);
    }

    protected Learner SampleLearner() => SampleLearner(Clock.GetUtcNow());

    /// <summary>A paid learner with every field set; the file repository's own tests use it too.</summary>
    internal static Learner SampleLearner(DateTimeOffset now)
    {
        return Learner.CreateFree(LearnerId.Parse("lrn_sample"), "Ada Lovelace", now) with
        {
            Tier = Tier.Paid,
            AppliedEventIds = ["evt_1", "evt_2"],
            Checkouts =
            [
                new CheckoutRecord
                {
                    SessionId = "cs_test_1",
                    PaymentIntentId = "pi_1",
                    Url = "https://checkout.stripe.com/c/pay/cs_test_1",
                    ExpiresAt = now.AddHours(24),
                    AmountTotal = 1999,
                    Currency = "usd",
                    CreatedAt = now,
                    UpdatedAt = now.AddMinutes(2),
                    Facts = new CheckoutFacts { PaidAt = now.AddMinutes(2) },
                },
            ],
        };
    }

    protected async Task<LearnerId> CreateAsync(string id)
    {
        var learner = Learner.CreateFree(LearnerId.Parse(id), "Learner " + id, Clock.GetUtcNow());
        Assert.True(await Repository.TryCreateAsync(learner, None));
        return learner.LearnerId;
    }

    protected async Task<ILearnerRepository> OpenTrackedAsync()
    {
        var repository = await OpenAsync();
        _opened.Add(repository);
        return repository;
    }

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }
}
