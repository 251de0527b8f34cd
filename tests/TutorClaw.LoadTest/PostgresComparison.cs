using System.Globalization;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.LoadTest;

/// <summary>
/// Issue 15's benchmark in one run, with the webhook load of <c>compare</c>: the file store (one
/// server), then PostgreSQL with one replica and with two replicas sharing one database (events
/// sent to the replicas in turn). The load tool starts its own PostgreSQL the way the tests do
/// (<see cref="PostgresServer"/>: initdb into a temporary directory, pg_ctl on a free loopback
/// port), but with fsync on, so a PostgreSQL commit is as durable as the file store's; each
/// configuration gets a fresh database. Concurrency 64, then the same events again (redelivery).
/// Prints a table, the ratios, and the load average before and after.
/// </summary>
public static class PostgresComparison
{
    private static readonly int[] Concurrencies = [64];

    public static async Task RunAsync(ServerBuild build, IReadOnlyDictionary<string, string> environment, int learners, int eventsPerLearner, int warmupEvents)
    {
        Console.WriteLine("load average before: " + LoadAverage());
        Console.WriteLine("== file store, 1 server");
        var file = await WebhookLoad.RunAsync(build, environment, learners, eventsPerLearner, Concurrencies, replay: true, warmupEvents: warmupEvents);

        using var postgres = PostgresServer.StartDurable();
        // The first line of postmaster.pid is the server's process id; its backends are its children.
        var postmaster = int.Parse(File.ReadLines(Path.Combine(postgres.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        Console.WriteLine($"PostgreSQL started: 127.0.0.1:{postgres.Port}, pid {postmaster}, fsync on, data {postgres.DataDirectory}");
        async Task<WebhookLoad.Run> OnPostgresAsync(int replicas)
        {
            var database = postgres.CreateDatabase();
            Console.WriteLine($"== PostgreSQL, {replicas} replica(s) on database {database}");
            var withDatabase = new Dictionary<string, string>(environment, StringComparer.Ordinal)
            {
                ["TUTORCLAW_DATABASE_URL"] = postgres.ConnectionString(database),
            };
            return await WebhookLoad.RunAsync(build, withDatabase, learners, eventsPerLearner, Concurrencies, replay: true, replicas: replicas,
                databaseCpuSeconds: () => ProcessMemory.TreeCpuSeconds(postmaster), warmupEvents: warmupEvents);
        }
        var one = await OnPostgresAsync(1);
        var two = await OnPostgresAsync(2);
        Console.WriteLine("load average after: " + LoadAverage());

        Console.WriteLine();
        Console.WriteLine("| store | c=64 events/s | c=64 p50 | c=64 p99 | CPU per event: server + database | redelivery c=64 events/s | redelivery c=64 p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("file store, 1 server", file);
        Row("PostgreSQL, 1 replica", one);
        Row("PostgreSQL, 2 replicas", two);
        Console.WriteLine();
        Ratio("c=64 events/s, PostgreSQL 1 replica / file store", Rate(one) / Rate(file));
        Ratio("c=64 events/s, PostgreSQL 2 replicas / file store", Rate(two) / Rate(file));
        Ratio("c=64 events/s, PostgreSQL 2 replicas / 1 replica", Rate(two) / Rate(one));
        Ratio("c=64 p99, PostgreSQL 1 replica / file store", P99(one) / P99(file));
        Ratio("c=64 p99, PostgreSQL 2 replicas / file store", P99(two) / P99(file));
        Ratio("redelivery c=64 events/s, PostgreSQL 1 replica / file store", one.Replayed[0].EventsPerSecond / file.Replayed[0].EventsPerSecond);
        Ratio("redelivery c=64 events/s, PostgreSQL 2 replicas / file store", two.Replayed[0].EventsPerSecond / file.Replayed[0].EventsPerSecond);
    }

    private static double Rate(WebhookLoad.Run run) => run.Fresh[0].EventsPerSecond;

    private static double P99(WebhookLoad.Run run) => run.Fresh[0].Latencies.PercentileMs(99);

    private static void Row(string name, WebhookLoad.Run run)
    {
        var fresh = run.Fresh[0];
        var again = run.Replayed[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {fresh.EventsPerSecond:F0} | {fresh.Latencies.PercentileMs(50):F1} ms | {P99(run):F1} ms | {fresh.ServerCpuSeconds * 1e6 / fresh.Events:F0} + {fresh.DatabaseCpuSeconds * 1e6 / fresh.Events:F0} µs | {again.EventsPerSecond:F0} | {again.Latencies.PercentileMs(99):F1} ms |"));
    }

    private static void Ratio(string what, double ratio) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {ratio:F2}"));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
