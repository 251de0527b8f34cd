using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Postgres;

/// <summary>The parts of the PostgreSQL store beside the learners: bindings, the unmatched log, the
/// cursor and the one-run-at-a-time claim, each seen from a second replica (its own pool).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualClock _clock = new();
    private PostgresTestDatabase _db = null!;
    private PostgresDatabase _databaseA = null!;
    private PostgresDatabase _databaseB = null!;
    private PostgresStore _a = null!;
    private PostgresStore _b = null!;

    public async Task InitializeAsync()
    {
        _db = new PostgresTestDatabase(server);
        _databaseA = _db.Open();
        _databaseB = _db.Open();
        await PostgresTestDatabase.Migrator(_databaseA).MigrateAsync(None);
        _a = new PostgresStore(_databaseA, _clock);
        _b = new PostgresStore(_databaseB, _clock);
    }

    public async Task DisposeAsync()
    {
        await _databaseA.DisposeAsync();
        await _databaseB.DisposeAsync();
    }

    [Fact]
    public void The_store_names_its_kind_and_database()
    {
        Assert.Equal("postgres", _a.Kind);
        Assert.Equal($"127.0.0.1/{_db.Name}", _a.Location);
        Assert.Equal("postgres", _a.Learners.Kind);
    }

    [Fact]
    public async Task The_store_checks_its_own_health_naming_the_database_when_it_is_unreachable()
    {
        var up = await _a.CheckHealthAsync(None);
        await _db.TakeOfflineAsync();
        var down = await _a.CheckHealthAsync(None);
        await _db.BringOnlineAsync();
        var back = await _a.CheckHealthAsync(None);

        Assert.True(up.IsHealthy);
        Assert.Equal($"The PostgreSQL database 127.0.0.1/{_db.Name} is unreachable.", down.Problem);
        Assert.True(back.IsHealthy);
    }

    [Fact]
    public async Task The_first_binding_of_a_payment_intent_wins_on_every_replica()
    {
        await _a.PaymentIntents.BindAsync("pi_1", LearnerId.Parse("first"), None);
        await _b.PaymentIntents.BindAsync("pi_1", LearnerId.Parse("second"), None);
        await _a.PaymentIntents.BindAsync("not a pi", LearnerId.Parse("first"), None);

        Assert.Equal(LearnerId.Parse("first"), await _b.PaymentIntents.FindAsync("pi_1", None));
        Assert.Null(await _a.PaymentIntents.FindAsync("pi_unknown", None));
        Assert.Null(await _a.PaymentIntents.FindAsync(null, None));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM payment_intents"));
    }

    [Fact]
    public async Task Unmatched_events_are_kept_once_listed_oldest_first_and_resolved()
    {
        var now = _clock.GetUtcNow();
        var newer = Completed("evt_newer", now);
        var older = Completed("evt_older", now.AddMinutes(-5));
        var noId = Completed(null, now.AddMinutes(-10));

        await _a.Unmatched.RecordAsync(newer, "no learner", now, None);
        await _b.Unmatched.RecordAsync(newer, "recorded again", now.AddMinutes(1), None);
        await _a.Unmatched.RecordAsync(older, "no learner", now, None);
        await _b.Unmatched.RecordAsync(noId, "no learner", now, None);

        var listed = await _b.Unmatched.ListAsync(None);
        Assert.Equal([noId, older, newer], listed.Select(e => e.Event));
        Assert.Equal("no learner", listed[2].Reason);

        await _b.Unmatched.ResolveAsync(older, None);
        await _a.Unmatched.ResolveAsync(noId, None);
        Assert.Equal([newer], (await _a.Unmatched.ListAsync(None)).Select(e => e.Event));
    }

    [Fact]
    public async Task The_cursor_is_empty_before_the_first_run_and_then_what_was_saved_last()
    {
        Assert.Equal(new ReconciliationCursor(null, null), await _a.Reconciliation.ReadAsync(None));
        var now = _clock.GetUtcNow();
        var pending = new PendingRun(now.AddDays(-1), now, "evt_x", 2);

        await _a.Reconciliation.SaveAsync(new ReconciliationCursor(now.AddHours(-1), pending), None);
        await _b.Reconciliation.SaveAsync(new ReconciliationCursor(now, null), None);

        Assert.Equal(new ReconciliationCursor(now, null), await _a.Reconciliation.ReadAsync(None));
    }

    [Fact]
    public async Task Only_one_replica_holds_the_run_claim_until_it_gives_it_up()
    {
        var claim = await _a.Reconciliation.TryClaimRunAsync(None);
        Assert.NotNull(claim);
        Assert.Null(await _b.Reconciliation.TryClaimRunAsync(None));

        await claim.DisposeAsync();

        var next = await _b.Reconciliation.TryClaimRunAsync(None);
        Assert.NotNull(next);
        Assert.Null(await _a.Reconciliation.TryClaimRunAsync(None));
        await next.DisposeAsync();
    }

    private static CheckoutCompleted Completed(string? eventId, DateTimeOffset created) =>
        new(eventId, "checkout.session.completed", created,
            new SessionSnapshot("cs_test_" + (eventId ?? "none"), "lrn_missing", "pi_" + (eventId ?? "none"), 1999, "usd", null), Paid: true);
}
