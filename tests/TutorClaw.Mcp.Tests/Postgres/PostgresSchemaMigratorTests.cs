using Npgsql;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaMigratorTests(PostgresServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] StateTables =
        ["applied_events", "learners", "payment_intents", "phone_index", "reconciliation_cursor", "schema_migrations", "unmatched_payments"];

    [Fact]
    public async Task A_fresh_database_gets_a_table_for_every_kind_of_state_at_the_latest_version()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();

        var result = await PostgresTestDatabase.Migrator(database).MigrateAsync(None);

        Assert.Equal(new SchemaMigrationResult.UpToDate(0, PostgresSchema.LatestVersion), result);
        Assert.Equal(StateTables, await TablesAsync(db));
        Assert.Equal(PostgresSchema.LatestVersion, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_changes_nothing()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        await PostgresTestDatabase.Migrator(database).MigrateAsync(None);
        var before = await db.ScalarAsync<string>("SELECT string_agg(version || ':' || applied_at, ',') FROM schema_migrations");

        var result = await PostgresTestDatabase.Migrator(database).MigrateAsync(None);

        Assert.Equal(new SchemaMigrationResult.UpToDate(PostgresSchema.LatestVersion, PostgresSchema.LatestVersion), result);
        Assert.Equal(before, await db.ScalarAsync<string>("SELECT string_agg(version || ':' || applied_at, ',') FROM schema_migrations"));
    }

    [Fact]
    public async Task Eight_replicas_starting_at_once_apply_each_migration_exactly_once()
    {
        var db = new PostgresTestDatabase(server);
        // Not idempotent on purpose: a step applied twice would fail (CREATE TABLE) or count twice.
        PostgresMigration[] migrations =
        [
            new(1, "counter", "CREATE TABLE counter (n integer NOT NULL); INSERT INTO counter VALUES (1);"),
            new(2, "bump", "UPDATE counter SET n = n + 1; SELECT pg_sleep(0.05);"),
            new(3, "bump again", "UPDATE counter SET n = n + 1;"),
        ];
        var databases = Enumerable.Range(0, 8).Select(_ => db.Open()).ToList();
        using var start = new ManualResetEventSlim();

        var runs = databases.Select(database => Task.Run(async () =>
        {
            start.Wait();
            return await PostgresTestDatabase.Migrator(database).MigrateAsync(migrations, None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(runs);
        foreach (var database in databases)
        {
            await database.DisposeAsync();
        }

        Assert.All(results, r => Assert.Equal(3, Assert.IsType<SchemaMigrationResult.UpToDate>(r).To));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT n FROM counter"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_later_build_applies_only_the_new_migrations()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        PostgresMigration first = new(1, "one", "CREATE TABLE one (x integer)");
        await PostgresTestDatabase.Migrator(database).MigrateAsync([first], None);

        var result = await PostgresTestDatabase.Migrator(database).MigrateAsync([first, new(2, "two", "CREATE TABLE two (x integer)")], None);

        Assert.Equal(new SchemaMigrationResult.UpToDate(1, 2), result);
        Assert.Equal(["one", "schema_migrations", "two"], await TablesAsync(db));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_reported_and_left_untouched()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        await PostgresTestDatabase.Migrator(database).MigrateAsync(None);
        await db.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')");

        var result = await PostgresTestDatabase.Migrator(database).MigrateAsync(None);

        Assert.Equal(new SchemaMigrationResult.NewerThanThisBuild(99, PostgresSchema.LatestVersion), result);
        Assert.Equal(StateTables, await TablesAsync(db));
        Assert.Equal(PostgresSchema.LatestVersion + 1, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task An_event_id_can_be_recorded_as_applied_only_once()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        await PostgresTestDatabase.Migrator(database).MigrateAsync(None);
        await db.ExecuteAsync("INSERT INTO applied_events (event_id, learner_id) VALUES ('evt_once', 'lrn_a')");

        var e = await Assert.ThrowsAsync<PostgresException>(() =>
            db.ExecuteAsync("INSERT INTO applied_events (event_id, learner_id) VALUES ('evt_once', 'lrn_b')"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState);
    }

    [Fact]
    public async Task A_learner_row_must_hold_its_own_document()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        await PostgresTestDatabase.Migrator(database).MigrateAsync(None);

        var e = await Assert.ThrowsAsync<PostgresException>(() =>
            db.ExecuteAsync("""INSERT INTO learners (learner_id, document) VALUES ('lrn_a', '{"learner_id": "lrn_b"}')"""));

        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    private static async Task<string[]> TablesAsync(PostgresTestDatabase db) =>
        (await db.ScalarAsync<string>("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"))!
            .Split(',');
}
