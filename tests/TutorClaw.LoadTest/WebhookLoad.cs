using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.LoadTest;

/// <summary>
/// POST /webhook end to end over loopback HTTP against the real server (one or several replicas)
/// with its durable store: for each concurrency level, register fresh learners over /mcp, then send each of
/// them distinct, freshly signed checkout.session.completed events (built from the shared event
/// file) and time every request. Only 200s count; anything else is reported as a failure.
/// </summary>
public static class WebhookLoad
{
    private const string TemplateFile = "events/checkout.session.completed.json";
    private const string TemplateEventId = "evt_1TcLw01demoQ82TofIaOlkUp";
    private const string TemplateLearner = "learner_demo";
    private const string TemplateSession = "cs_test_a1clhYSuNtIaG79bI3ITN5dX2VKlqjTFTDHtWk6yZXUYsXXAxjlPWObfDu";
    private const string TemplatePaymentIntent = "pi_3TcLw01demoQaXCn3hhU1ede";
    private const string TemplateCreated = "\"created\": 1795168993";

    /// <param name="Seconds">From the first request to the last answer, plus <paramref name="WritebackSeconds"/>.</param>
    /// <param name="DatabaseCpuSeconds">CPU of the database server's processes, when a database is measured; else 0.</param>
    /// <param name="WritebackSeconds">The sync(2) after the last answer: writing back what the server left dirty.</param>
    public sealed record Level(
        int Concurrency, int Events, int Failures, double Seconds, Latencies Latencies, double ServerCpuSeconds, double ClientCpuSeconds, double DatabaseCpuSeconds = 0,
        double WritebackSeconds = 0)
    {
        public double EventsPerSecond => Events / Seconds;
    }

    /// <summary>Events sent before anything is measured: enough for the runtime's tiered JIT to
    /// finish recompiling the hot paths (about 10,000 events on this machine, measured: the CPU per
    /// event of four back-to-back levels of 4,000 fell 1,850 -> 880 -> 515 -> 497 µs). Fewer measure
    /// the JIT, not the server.</summary>
    public const int DefaultWarmupEvents = 12_000;

    /// <summary>Per concurrency level: the fresh events, and (with replay) the same events again.</summary>
    public sealed record Run(IReadOnlyList<Level> Fresh, IReadOnlyList<Level> Replayed);

    /// <param name="registered">False for a server without tools (the do-nothing server): learner
    /// ids are made up instead of registered, and no document is read back.</param>
    /// <param name="replicas">How many servers to start with the same environment (replicas of one
    /// PostgreSQL database); the events go to them in turn, one connection pool for all.</param>
    /// <param name="databaseCpuSeconds">The database server's CPU seconds so far, to report per event.</param>
    public static async Task<Run> RunAsync(
        ServerBuild build, IReadOnlyDictionary<string, string> environment, int learners, int eventsPerLearner, IReadOnlyList<int> concurrencies, bool replay,
        bool registered = true, int replicas = 1, Func<double>? databaseCpuSeconds = null, int warmupEvents = DefaultWarmupEvents)
    {
        var template = Encoding.UTF8.GetString(SharedStripeData.ReadBytes(TemplateFile));
        foreach (var marker in new[] { TemplateEventId, TemplateLearner, TemplateSession, TemplatePaymentIntent, TemplateCreated })
        {
            if (!template.Contains(marker, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{TemplateFile} no longer contains {marker}; update the load tool.");
            }
        }

        // Nothing another run left dirty is written back while this one is measured, and no file
        // another server deleted is still recent enough to slow this one's new files down.
        Writeback.SyncSeconds();
        await DeletedFiles.WaitOutRecentDeletionsAsync();
        var servers = new List<ServerUnderTest>();
        try
        {
            for (var i = 0; i < replicas; i++)
            {
                var started = await ServerUnderTest.StartAsync(build, environment);
                servers.Add(started);
                Console.WriteLine($"server pid {started.ProcessId} at {started.BaseAddress}, data {started.DataDirectory}, RSS after start {started.RssMiB:F1} MiB");
            }
            return await RunAsync(servers, template, learners, eventsPerLearner, concurrencies, replay, registered,
                inDatabase: environment.ContainsKey("TUTORCLAW_DATABASE_URL"), databaseCpuSeconds ?? (() => 0), warmupEvents);
        }
        finally
        {
            foreach (var started in servers)
            {
                await started.DisposeAsync();
            }
            // Files it replaced freed their old inodes; the next server waits for those too.
            DeletedFiles.NoteDeletions();
        }
    }

    private static async Task<Run> RunAsync(
        IReadOnlyList<ServerUnderTest> servers, string template, int learners, int eventsPerLearner, IReadOnlyList<int> concurrencies, bool replay,
        bool registered, bool inDatabase, Func<double> databaseCpuSeconds, int warmupEvents)
    {
        var server = servers[0];
        // Warm-up on learners of its own, so the measured learners' documents start equally small:
        // new events at both concurrencies, then some of them again (the already-applied path).
        var warmCount = Math.Clamp(warmupEvents / 6, 1, 1000);
        var warmLearners = registered ? await RegisterAsync(server, warmCount, "warm") : MadeUp(warmCount, "warm");
        var warmEvents = Build(template, warmLearners, Math.Max(1, warmupEvents / warmCount), "warm");
        var warmStarted = Stopwatch.StartNew();
        await SendAsync(servers, warmEvents[..^warmCount], concurrency: 64, databaseCpuSeconds);
        await SendAsync(servers, warmEvents[^warmCount..], concurrency: 1, databaseCpuSeconds);
        var warmAgain = warmEvents[..Math.Min(warmEvents.Length, 2 * warmCount)];
        await SendAsync(servers, warmAgain, concurrency: 64, databaseCpuSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {warmEvents.Length} events to {warmCount} learners of its own, then {warmAgain.Length} of them again, in {warmStarted.Elapsed.TotalSeconds:F1} s"));

        var results = new List<Level>();
        var replays = new List<Level>();
        foreach (var concurrency in concurrencies)
        {
            var ids = registered ? await RegisterAsync(server, learners, $"c{concurrency}") : MadeUp(learners, $"c{concurrency}");
            var events = Build(template, ids, eventsPerLearner, $"c{concurrency}");
            var level = await SendAsync(servers, events, concurrency, databaseCpuSeconds);
            results.Add(level);
            var paid = !registered ? 0 : inDatabase ? await CountPaidAsync(server, ids) : CountPaid(server.DataDirectory, ids);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"concurrency {concurrency,3}: {level.Events} events in {level.Seconds:F2} s (writeback {level.WritebackSeconds * 1000:F0} ms) = {level.EventsPerSecond:F0} events/s, {level.Latencies.Summary()}, failures {level.Failures}, CPU per event: server {level.ServerCpuSeconds * 1e6 / level.Events:F0} µs, database {level.DatabaseCpuSeconds * 1e6 / level.Events:F0} µs, load tool {level.ClientCpuSeconds * 1e6 / level.Events:F0} µs, learners now paid {paid}/{ids.Count}, server RSS {server.RssMiB:F1} MiB"));
            if (level.Failures > 0)
            {
                Console.WriteLine("recent server log:\n" + string.Join('\n', servers.Select(s => s.RecentLog())));
            }
            if (replay)
            {
                // The same events again, as Stripe's retries, the success page or a reconciliation
                // run deliver them: every one is answered "already applied", nothing changes.
                var again = await SendAsync(servers, events, concurrency, databaseCpuSeconds);
                replays.Add(again);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  replayed {concurrency,3}: {again.Events} events in {again.Seconds:F2} s (writeback {again.WritebackSeconds * 1000:F0} ms) = {again.EventsPerSecond:F0} events/s, {again.Latencies.Summary()}, failures {again.Failures}, CPU per event: server {again.ServerCpuSeconds * 1e6 / again.Events:F0} µs, database {again.DatabaseCpuSeconds * 1e6 / again.Events:F0} µs"));
            }
        }
        return new Run(results, replays);
    }

    private static IReadOnlyList<string> MadeUp(int count, string prefix) =>
        Enumerable.Range(0, count).Select(i => $"{prefix}_learner_{i}").ToArray();

    /// <summary>Registers learners through the real register_learner tool over /mcp, four clients at a time.</summary>
    private static async Task<IReadOnlyList<string>> RegisterAsync(ServerUnderTest server, int count, string prefix)
    {
        var ids = new string[count];
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var client = await McpClients.ConnectHttpAsync(server.BaseAddress);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var result = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = $"{prefix} learner {i}" });
                ids[i] = result is { IsError: not true, StructuredContent: { } content }
                    ? content.GetProperty("learner_id").GetString()!
                    : throw new InvalidOperationException("register_learner failed: " + (result.Content.FirstOrDefault() as TextContentBlock)?.Text);
            }
        });
        await Task.WhenAll(workers);
        return ids;
    }

    /// <summary>eventsPerLearner rounds over all learners, so two events of one learner are far apart in the stream.</summary>
    private static byte[][] Build(string template, IReadOnlyList<string> learners, int eventsPerLearner, string tag)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bodies = new byte[learners.Count * eventsPerLearner][];
        for (var k = 0; k < bodies.Length; k++)
        {
            var learner = learners[k % learners.Count];
            var unique = $"{tag}x{k:D7}";
            bodies[k] = Encoding.UTF8.GetBytes(template
                .Replace(TemplateEventId, "evt_load" + unique, StringComparison.Ordinal)
                .Replace(TemplateSession, "cs_test_load" + unique, StringComparison.Ordinal)
                .Replace(TemplatePaymentIntent, "pi_load" + unique, StringComparison.Ordinal)
                .Replace(TemplateLearner, learner, StringComparison.Ordinal)
                .Replace(TemplateCreated, "\"created\": " + created, StringComparison.Ordinal));
        }
        return bodies;
    }

    /// <summary>Event i goes to server i mod N; latencies and the servers' CPU are over all of them.</summary>
    private static async Task<Level> SendAsync(IReadOnlyList<ServerUnderTest> servers, byte[][] bodies, int concurrency, Func<double> databaseCpuSeconds)
    {
        // Signed just before sending (Stripe's tolerance is 300 s), all up front so the client's
        // HMACs do not compete with the server for the two cores while we measure.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = bodies.Select(b => StripeSignatureHeader.Sign(ServerUnderTest.WebhookSecret, timestamp, b)).ToArray();

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var uris = servers.Select(s => new Uri(s.BaseAddress, "/webhook")).ToArray();
        var latencies = new Latencies(bodies.Length);
        var failures = 0;
        var next = -1;
        var serverCpu = servers.Sum(s => s.CpuSeconds);
        var databaseCpu = databaseCpuSeconds();
        var clientCpu = Environment.CpuUsage.TotalTime;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uris[i % uris.Length]) { Content = new ByteArrayContent(bodies[i]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("Stripe-Signature", headers[i]);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                latencies.Add(Stopwatch.GetTimestamp() - started);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var writeback = Writeback.SyncSeconds();
        total.Stop();
        return new Level(concurrency, bodies.Length, failures, total.Elapsed.TotalSeconds, latencies,
            servers.Sum(s => s.CpuSeconds) - serverCpu, (Environment.CpuUsage.TotalTime - clientCpu).TotalSeconds, databaseCpuSeconds() - databaseCpu, writeback);
    }

    /// <summary>Asks get_learner_tier over /mcp for every learner (state in a database, not on disk):
    /// the effect every 200 promised.</summary>
    private static async Task<int> CountPaidAsync(ServerUnderTest server, IReadOnlyList<string> learners)
    {
        var paid = 0;
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var client = await McpClients.ConnectHttpAsync(server.BaseAddress);
            int i;
            while ((i = Interlocked.Increment(ref next)) < learners.Count)
            {
                var result = await client.CallToolAsync("get_learner_tier", new Dictionary<string, object?> { ["learner_id"] = learners[i] });
                if (result is { IsError: not true, StructuredContent: { } content } && content.GetProperty("tier").GetString() == "paid")
                {
                    Interlocked.Increment(ref paid);
                }
            }
        });
        await Task.WhenAll(workers);
        return paid;
    }

    /// <summary>Reads the learners' documents back from disk: the effect every 200 promised.</summary>
    private static int CountPaid(string dataDirectory, IReadOnlyList<string> learners) =>
        learners.Count(id => File.ReadAllText(Path.Combine(dataDirectory, "learners", id + ".json"))
            .Contains("\"tier\": \"paid\"", StringComparison.Ordinal));
}
