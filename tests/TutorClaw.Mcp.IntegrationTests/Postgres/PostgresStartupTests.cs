using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Postgres;

/// <summary>The built server as its own process: it migrates the database before it opens a door,
/// and refuses to start, in one line, when it cannot use the database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStartupTests(PostgresServer server)
{
    [Fact]
    public async Task A_server_given_a_postgres_url_migrates_a_fresh_database_before_serving()
    {
        var db = new PostgresTestDatabase(server);
        var url = $"postgres://{PostgresServer.Superuser}:fake_pw@127.0.0.1:{server.Port}/{db.Name}";
        await using var process = await ServerProcess.StartAsync(new Dictionary<string, string> { ["TUTORCLAW_DATABASE_URL"] = url });
        using var client = new HttpClient { BaseAddress = process.BaseAddress };

        var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal($"127.0.0.1/{db.Name}", json.RootElement.GetProperty("repository").GetProperty("location").GetString());
        Assert.Equal(PostgresSchema.LatestVersion, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        Assert.DoesNotContain("fake_pw", process.Log);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_stops_startup_with_one_line()
    {
        var db = new PostgresTestDatabase(server);
        await using (var database = db.Open())
        {
            await PostgresTestDatabase.Migrator(database).MigrateAsync(default);
        }
        await db.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (99, 'from a newer build')");

        var run = await RunServerAsync(db.ConnectionString);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr));
        Assert.StartsWith("TutorClaw cannot start:", line);
        Assert.Contains($"127.0.0.1/{db.Name}", line);
        Assert.Contains("schema version 99", line);
        Assert.Equal(99, await db.ScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task An_unreachable_database_stops_startup_with_one_line_naming_it_but_not_its_password()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var run = await RunServerAsync($"postgres://tutor:fake_pw_secret@127.0.0.1:{closedPort}/tutorclaw");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr));
        Assert.StartsWith("TutorClaw cannot start:", line);
        Assert.Contains("127.0.0.1/tutorclaw", line);
        Assert.Contains("TUTORCLAW_DATABASE_URL", line);
        Assert.DoesNotContain("fake_pw_secret", run.Stderr + run.Stdout);
    }

    private static async Task<ProcessRun> RunServerAsync(string databaseUrl)
    {
        using var built = new BuiltServer();
        return await ProcessRun.RunAsync(
            BuiltServer.DotnetHost,
            [BuiltServer.ServerDll, "--urls", "http://127.0.0.1:0"],
            built.WorkingDirectory,
            built.Environment(("TUTORCLAW_DATABASE_URL", databaseUrl)),
            BuiltServer.Patience);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
