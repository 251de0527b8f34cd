using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Postgres;

/// <summary><c>migrate --from-files</c>: a store made by the file repository arrives whole, and an
/// interrupted run resumes without copying anything twice.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrateFromFilesCommandTests(PostgresServer server) : IAsyncLifetime
{
    private const int LearnerCount = 250;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ManualClock _clock = new();
    private readonly TempDirectory _temp = new();
    private PostgresTestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = new PostgresTestDatabase(server);
        _services = new ServiceCollection()
            .AddSingleton(Options.Create(_db.Options))
            .AddSingleton<PostgresDatabase>()
            .AddSingleton<TimeProvider>(_clock)
            .BuildServiceProvider();
        await PostgresTestDatabase.Migrator(_services.GetRequiredService<PostgresDatabase>()).MigrateAsync(None);
        await FillFileStoreAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Every_learner_phone_binding_event_id_unmatched_entry_and_the_cursor_arrive()
    {
        var output = new StringWriter();

        Assert.Equal(0, await new MigrateFromFilesCommand(_temp.Path).RunAsync(_services, output, None));

        await AssertEqualContentAsync();
        Assert.Contains($"learners {LearnerCount} copied, 0 already there", output.ToString());
        Assert.Contains($"applied event ids {LearnerCount} copied", output.ToString());
        Assert.Contains("cursor copied", output.ToString());

        var again = new StringWriter();
        Assert.Equal(0, await new MigrateFromFilesCommand(_temp.Path).RunAsync(_services, again, None));
        Assert.Contains($"learners 0 copied, {LearnerCount} already there", again.ToString());
        Assert.Contains("unmatched 0 copied, 1 already there", again.ToString());
        await AssertEqualContentAsync();
    }

    [Fact]
    public async Task An_interrupted_migrate_resumes_where_it_stopped()
    {
        using var interrupt = new CancellationTokenSource();
        var output = new InterruptingWriter("learners done", interrupt);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new MigrateFromFilesCommand(_temp.Path).RunAsync(_services, output, interrupt.Token));
        var copiedBefore = (int)await _db.ScalarAsync<long>("SELECT count(*) FROM learners");
        Assert.InRange(copiedBefore, MigrateFromFilesCommand.ProgressEvery, LearnerCount - 1);

        var resumed = new StringWriter();
        Assert.Equal(0, await new MigrateFromFilesCommand(_temp.Path).RunAsync(_services, resumed, None));

        Assert.Contains($"learners {LearnerCount - copiedBefore} copied, {copiedBefore} already there", resumed.ToString());
        await AssertEqualContentAsync();
    }

    private async Task FillFileStoreAsync()
    {
        using var files = new FileStore(Options.Create(new StorageOptions { DataDirectory = _temp.Path }), _clock);
        for (var i = 0; i < LearnerCount; i++)
        {
            var id = LearnerId.Parse($"lrn_{i:D4}");
            await files.Learners.TryCreateAsync(Learner.CreateFree(id, "Learner " + i, _clock.GetUtcNow()) with { AppliedEventIds = [$"evt_{i}"] }, None);
            await files.Learners.ClaimPhoneAsync(PhoneNormalizer.Key($"+1555010{i:D4}"), id, None);
            await files.PaymentIntents.BindAsync($"pi_{i}", id, None);
        }
        var missing = new CheckoutCompleted("evt_unmatched", "checkout.session.completed", _clock.GetUtcNow(),
            new SessionSnapshot("cs_test_u", "lrn_missing", "pi_unmatched", 1999, "usd", null), Paid: true);
        await files.Unmatched.RecordAsync(missing, "no learner", _clock.GetUtcNow(), None);
        await files.Reconciliation.SaveAsync(new ReconciliationCursor(_clock.GetUtcNow(), null), None);
    }

    private async Task AssertEqualContentAsync()
    {
        using var files = new FileStore(Options.Create(new StorageOptions { DataDirectory = _temp.Path }), _clock);
        var target = new PostgresStore(_services.GetRequiredService<PostgresDatabase>(), _clock);
        var ids = new List<LearnerId>();
        await foreach (var id in files.Learners.ListIdsAsync(None))
        {
            ids.Add(id);
            Assert.Equal(Json(await files.Learners.FindAsync(id, None)), Json(await target.Learners.FindAsync(id, None)));
        }
        Assert.Equal(LearnerCount, ids.Count);
        Assert.Equal((long)LearnerCount, await _db.ScalarAsync<long>("SELECT count(*) FROM learners"));
        Assert.Equal((long)LearnerCount, await _db.ScalarAsync<long>("SELECT count(*) FROM applied_events"));
        Assert.Equal((long)LearnerCount, await _db.ScalarAsync<long>("SELECT count(*) FROM phone_index"));
        for (var i = 0; i < LearnerCount; i += 37)
        {
            var id = LearnerId.Parse($"lrn_{i:D4}");
            Assert.Equal(id, await target.PaymentIntents.FindAsync($"pi_{i}", None));
            Assert.Equal(id, await target.Learners.ClaimPhoneAsync(PhoneNormalizer.Key($"+1555010{i:D4}"), LearnerId.Parse("latecomer"), None));
        }
        Assert.Equal(await files.Unmatched.ListAsync(None), await target.Unmatched.ListAsync(None));
        Assert.Equal(await files.Reconciliation.ReadAsync(None), await target.Reconciliation.ReadAsync(None));
    }

    private static string Json(Learner? learner) => JsonSerializer.Serialize(learner, LearnerJsonContext.Default.Learner!);

    /// <summary>Cancels the run when the first line containing <paramref name="trigger"/> is written, as Ctrl+C would.</summary>
    private sealed class InterruptingWriter(string trigger, CancellationTokenSource interrupt) : StringWriter
    {
        public override Task WriteLineAsync(string? value)
        {
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                interrupt.Cancel();
            }
            return base.WriteLineAsync(value);
        }
    }
}
