using System.Globalization;

namespace TutorClaw.LoadTest;

/// <summary>
/// Issue 14's three-way comparison in one run, with the same load generator: the real server
/// (group-committed journal), the same server with <c>TUTORCLAW_STORE_COMMIT=per-write</c> (the naive
/// temp + fsync + rename per write), and a server that answers 200 and does nothing. Each at
/// concurrency 64 and 1; the two real ones also redeliver every event (the already-applied path).
/// Prints a table and the ratios against the issue's targets. With a baseline (another build,
/// e.g. the server before a change), that build's real server runs too, in the same run, and the
/// ratios new / baseline are printed.
/// </summary>
public static class WebhookComparison
{
    private static readonly int[] Concurrencies = [64, 1];

    public static async Task RunAsync(ServerBuild build, IReadOnlyDictionary<string, string> environment, int learners, int eventsPerLearner, ServerBuild? baseline, int warmupEvents)
    {
        Console.WriteLine("== real server (journal)");
        var group = await WebhookLoad.RunAsync(build, environment, learners, eventsPerLearner, Concurrencies, replay: true, warmupEvents: warmupEvents);
        WebhookLoad.Run? before = null;
        if (baseline is not null)
        {
            Console.WriteLine($"== baseline: the real server of {baseline.Path}");
            before = await WebhookLoad.RunAsync(baseline, environment, learners, eventsPerLearner, Concurrencies, replay: true, warmupEvents: warmupEvents);
        }
        Console.WriteLine("== naive: the real server with TUTORCLAW_STORE_COMMIT=per-write");
        var naiveEnvironment = new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["TUTORCLAW_STORE_COMMIT"] = "per-write" };
        var naive = await WebhookLoad.RunAsync(build, naiveEnvironment, learners, eventsPerLearner, Concurrencies, replay: true, warmupEvents: warmupEvents);
        Console.WriteLine("== do-nothing server (Kestrel, 200 after reading the body)");
        var nothingBuild = new ServerBuild(typeof(DoNothingServer).Assembly.Location) { LeadingArguments = [DoNothingServer.Mode] };
        var nothing = await WebhookLoad.RunAsync(nothingBuild, environment, learners, eventsPerLearner, Concurrencies, replay: false, registered: false, warmupEvents: warmupEvents);

        Console.WriteLine();
        Console.WriteLine("| server | c=64 events/s | c=64 p99 | c=1 events/s | c=1 p99 | redelivery c=64 events/s | redelivery c=64 p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("real server (journal)", group);
        if (before is not null)
        {
            Row("baseline build", before);
        }
        Row("naive per-write fsync", naive);
        Row("do-nothing", nothing);
        Console.WriteLine();
        Ratio("c=64 events/s, real / naive", group.Fresh[0].EventsPerSecond / naive.Fresh[0].EventsPerSecond, ">= 2", r => r >= 2);
        Ratio("c=64 events/s, real / do-nothing", group.Fresh[0].EventsPerSecond / nothing.Fresh[0].EventsPerSecond, ">= 0.6", r => r >= 0.6);
        Ratio("c=64 p99, real / naive", P99(group.Fresh[0]) / P99(naive.Fresh[0]), "<= 0.5", r => r <= 0.5);
        Ratio("c=1 events/s, real / naive", group.Fresh[1].EventsPerSecond / naive.Fresh[1].EventsPerSecond, ">= 1.5", r => r >= 1.5);
        Ratio("redelivery c=64 events/s, real / naive", group.Replayed[0].EventsPerSecond / naive.Replayed[0].EventsPerSecond, ">= 1 (not slower)", r => r >= 1);
        if (before is not null)
        {
            Ratio("c=64 events/s, real / baseline", group.Fresh[0].EventsPerSecond / before.Fresh[0].EventsPerSecond, ">= 1 (not slower)", r => r >= 1);
            Ratio("c=64 p99, real / baseline", P99(group.Fresh[0]) / P99(before.Fresh[0]), "<= 1 (not slower)", r => r <= 1);
            Ratio("c=1 events/s, real / baseline", group.Fresh[1].EventsPerSecond / before.Fresh[1].EventsPerSecond, ">= 1 (not slower)", r => r >= 1);
            Ratio("redelivery c=64 events/s, real / baseline", group.Replayed[0].EventsPerSecond / before.Replayed[0].EventsPerSecond, ">= 1 (not slower)", r => r >= 1);
        }
    }

    private static double P99(WebhookLoad.Level level) => level.Latencies.PercentileMs(99);

    private static void Row(string name, WebhookLoad.Run run)
    {
        string Cell(IReadOnlyList<WebhookLoad.Level> levels, int i) => i < levels.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{levels[i].EventsPerSecond:F0} | {P99(levels[i]):F1} ms")
            : "— | —";
        Console.WriteLine($"| {name} | {Cell(run.Fresh, 0)} | {Cell(run.Fresh, 1)} | {Cell(run.Replayed, 0)} |");
    }

    private static void Ratio(string what, double ratio, string target, Func<double, bool> met) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {ratio:F2} (target {target}) {(met(ratio) ? "met" : "MISSED")}"));
}
