using System.Text.Json.Nodes;
using Npgsql;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Postgres;

/// <summary>What only the PostgreSQL store has to show: the file store's document, paging, and failures.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLearnerRepositoryTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualClock _clock = new();
    private PostgresTestDatabase _db = null!;
    private PostgresDatabase _database = null!;
    private PostgresLearnerRepository _repository = null!;

    public async Task InitializeAsync()
    {
        _db = new PostgresTestDatabase(server);
        _database = _db.Open();
        await PostgresTestDatabase.Migrator(_database).MigrateAsync(None);
        _repository = new PostgresLearnerRepository(_database, _clock);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_stored_document_is_the_file_stores_document()
    {
        var learner = Learner.CreateFree(LearnerId.Parse("lrn_same"), "Grace", _clock.GetUtcNow()) with
        {
            AppliedEventIds = ["evt_a"],
            Checkouts = [new CheckoutRecord { SessionId = "cs_test_x", AmountTotal = 1999, Currency = "usd", CreatedAt = _clock.GetUtcNow() }],
        };
        using var temp = new TempDirectory();
        using var files = new FileLearnerRepository(temp.Path, _clock);
        await files.TryCreateAsync(learner, None);
        await _repository.TryCreateAsync(learner, None);

        var fileDocument = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(temp.Path, "learners", "lrn_same.json")));
        var row = JsonNode.Parse((await _db.ScalarAsync<string>("SELECT document::text FROM learners WHERE learner_id = 'lrn_same'"))!);

        Assert.True(JsonNode.DeepEquals(fileDocument, row), $"file: {fileDocument}\nrow: {row}");
        Assert.Equal("free", await _db.ScalarAsync<string>("SELECT tier FROM learners WHERE learner_id = 'lrn_same'"));
    }

    [Fact]
    public async Task An_applied_event_id_commits_with_its_effect_and_a_second_learner_cannot_apply_it_again()
    {
        var first = LearnerId.Parse("lrn_first");
        var second = LearnerId.Parse("lrn_second");
        await _repository.TryCreateAsync(Learner.CreateFree(first, "First", _clock.GetUtcNow()), None);
        await _repository.TryCreateAsync(Learner.CreateFree(second, "Second", _clock.GetUtcNow()), None);

        var applied = await _repository.UpdateAsync(first, l => l with { AppliedEventIds = [.. l.AppliedEventIds, "evt_once"], Name = "Applied" }, None);
        var again = await _repository.UpdateAsync(second, l => l with { AppliedEventIds = [.. l.AppliedEventIds, "evt_once"], Name = "Applied" }, None);

        Assert.Equal("Applied", applied!.Name);
        Assert.Equal("Second", again!.Name);
        Assert.Equal("Second", (await _repository.FindAsync(second, None))!.Name);
        Assert.Equal("lrn_first", await _db.ScalarAsync<string>("SELECT learner_id FROM applied_events WHERE event_id = 'evt_once'"));
    }

    [Fact]
    public async Task Listing_goes_past_one_page_and_returns_each_learner_once_in_order()
    {
        const int count = PostgresLearnerRepository.ListPageSize * 2 + 345;
        await _db.ExecuteAsync($"""
            INSERT INTO learners (learner_id, document)
            SELECT 'l' || lpad(i::text, 5, '0'), jsonb_build_object('learner_id', 'l' || lpad(i::text, 5, '0'), 'name', 'x')
            FROM generate_series(1, {count}) AS i
            """);

        var listed = new List<string>();
        await foreach (var id in _repository.ListIdsAsync(None))
        {
            listed.Add(id.Value);
        }

        Assert.Equal(Enumerable.Range(1, count).Select(i => "l" + i.ToString("00000")), listed);
    }

    [Fact]
    public async Task An_upgrade_token_is_found_through_its_unique_index_and_cannot_belong_to_two_learners()
    {
        const int count = 400;
        for (var i = 0; i < count; i++)
        {
            var learner = Learner.CreateFree(LearnerId.Parse($"lrn_tok_{i:D3}"), "T", _clock.GetUtcNow());
            Assert.True(await _repository.TryCreateAsync(i % 4 == 0 ? learner : learner with { UpgradeToken = $"token_{i:D3}_fake" }, None));
        }
        await _db.ExecuteAsync("ANALYZE learners");

        var found = await _repository.FindByUpgradeTokenAsync("token_201_fake", None);
        var unknown = await _repository.FindByUpgradeTokenAsync("token_200_fake", None);
        var plan = await _db.ScalarAsync<string>(
            "EXPLAIN (FORMAT JSON) SELECT learner_id, document FROM learners WHERE document->>'upgrade_token' = 'token_201_fake'");
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync(
            "INSERT INTO learners (learner_id, document) VALUES ('lrn_thief', '{\"learner_id\": \"lrn_thief\", \"upgrade_token\": \"token_201_fake\"}')"));
        var taken = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            _repository.UpdateAsync(LearnerId.Parse("lrn_tok_202"), l => l with { UpgradeToken = "token_201_fake" }, None));

        Assert.Equal("lrn_tok_201", found!.LearnerId.Value);
        Assert.Null(unknown);
        Assert.Contains("\"Index Name\": \"learners_upgrade_token\"", plan);
        Assert.DoesNotContain("Seq Scan", plan);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(taken.InnerException).SqlState);
        Assert.Equal("token_202_fake", (await _repository.FindAsync(LearnerId.Parse("lrn_tok_202"), None))!.UpgradeToken);
    }

    [Fact]
    public async Task An_unreachable_database_fails_every_operation_with_one_exception_naming_it_never_the_password()
    {
        var closedPort = FreeLoopbackPort();
        await using var database = new PostgresDatabase(new PostgresOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={closedPort};Username=tutor;Password=fake_pw_never_shown;Database=tutorclaw;Timeout=5",
            Location = "127.0.0.1/tutorclaw",
        });
        var repository = new PostgresLearnerRepository(database, _clock);
        var id = LearnerId.Parse("lrn_x");

        Func<Task>[] operations =
        [
            () => repository.FindAsync(id, None),
            () => repository.TryCreateAsync(Learner.CreateFree(id, "X", _clock.GetUtcNow()), None),
            () => repository.UpdateAsync(id, l => l with { Name = "Y" }, None),
            () => repository.ClaimPhoneAsync("abc123", id, None),
            async () => { await foreach (var _ in repository.ListIdsAsync(None)) { } },
        ];
        foreach (var operation in operations)
        {
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(operation);
            Assert.IsAssignableFrom<IOException>(e);
            Assert.Contains("127.0.0.1/tutorclaw", e.Message);
            Assert.DoesNotContain("fake_pw_never_shown", e.ToString());
        }
    }

    [Fact]
    public async Task When_the_database_goes_away_and_comes_back_the_same_repository_works_again()
    {
        var id = LearnerId.Parse("lrn_back");
        await _repository.TryCreateAsync(Learner.CreateFree(id, "Before", _clock.GetUtcNow()), None);
        Assert.NotNull(await _repository.FindAsync(id, None));

        await _db.TakeOfflineAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _repository.UpdateAsync(id, l => l with { Name = "During" }, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _repository.FindAsync(id, None));
        await _db.BringOnlineAsync();

        var updated = await _repository.UpdateAsync(id, l => l with { Name = "After" }, None);
        Assert.Equal("After", updated!.Name);
        Assert.Equal("After", (await _repository.FindAsync(id, None))!.Name);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
