using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Tools;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Postgres;

/// <summary>The real server in-process with TUTORCLAW_DATABASE_URL set: learners live in PostgreSQL,
/// and a database that goes away is a 503 health, a 500 webhook and a storage sentence until it is back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    private const string FakePassword = "fake_pw_must_never_show";

    [Fact]
    public async Task Health_names_the_postgres_repository_and_registered_learners_are_rows()
    {
        var db = await MigratedDatabaseAsync();
        using var app = App(db);
        using var client = app.CreateClient();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var health = await client.GetAsync("/health");
        var registered = await mcp.CallAsync("register_learner", new { name = "Zoë", phone = "+1 555 123 4567" });

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var repository = json.RootElement.GetProperty("repository");
        Assert.Equal("postgres", repository.GetProperty("kind").GetString());
        Assert.Equal($"127.0.0.1/{db.Name}", repository.GetProperty("location").GetString());
        Assert.NotEqual(true, registered.IsError);
        var id = registered.StructuredContent!.Value.GetProperty("learner_id").GetString();
        Assert.Equal(id, await db.ScalarAsync<string>("SELECT learner_id FROM learners"));
        Assert.Equal(id, await db.ScalarAsync<string>("SELECT learner_id FROM phone_index"));
        Assert.Empty(Directory.EnumerateFiles(app.DataDirectory, "*.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task While_the_database_is_unreachable_health_is_503_webhooks_500_and_tools_say_so_then_all_recover()
    {
        var db = await MigratedDatabaseAsync();
        using var app = App(db);
        using var client = app.CreateClient();
        var webhook = new WebhookSender(app, client);
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        var learner = LearnerId.Parse("lrn_pg_outage");
        Assert.True(await app.Learners.TryCreateAsync(Learner.CreateFree(learner, "Ada", app.Clock.GetUtcNow()), default));
        var payment = StripeEvents.CheckoutCompleted("evt_pg_outage", "cs_test_pg_outage", "pi_pg_outage", learner.Value);

        await db.TakeOfflineAsync();
        var downHealth = await client.GetAsync("/health");
        var downBody = await downHealth.Content.ReadAsStringAsync();
        var downWebhook = await webhook.SendSignedAsync(payment);
        var downTool = await mcp.CallAsync("get_learner_tier", new { learner_id = learner.Value });
        await db.BringOnlineAsync();
        var upHealth = await client.GetAsync("/health");
        var redelivered = await webhook.SendSignedAsync(payment);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, downHealth.StatusCode);
        Assert.Contains($"127.0.0.1/{db.Name}", downBody);
        Assert.Contains("\"postgres\"", downBody);
        Assert.DoesNotContain(FakePassword, downBody);
        Assert.Equal(HttpStatusCode.InternalServerError, downWebhook.StatusCode);
        Assert.True(downTool.IsError);
        Assert.Contains(ToolResults.StorageUnavailableMessage, downTool.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Single().Text);
        Assert.Equal(HttpStatusCode.OK, upHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(Tier.Paid, (await app.Learners.FindAsync(learner, default))!.Tier);
    }

    private async Task<PostgresTestDatabase> MigratedDatabaseAsync()
    {
        var db = new PostgresTestDatabase(server);
        await using var database = db.Open();
        Assert.IsType<SchemaMigrationResult.UpToDate>(await PostgresTestDatabase.Migrator(database).MigrateAsync(default));
        return db;
    }

    /// <summary>The server on <paramref name="db"/>; the password is accepted and ignored (trust on loopback) and must never show.</summary>
    private static TutorClawApp App(PostgresTestDatabase db)
    {
        var app = new TutorClawApp();
        app.Settings["TUTORCLAW_DATABASE_URL"] = db.ConnectionString + ";Password=" + FakePassword;
        return app;
    }
}
