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
/// POST /webhook end to end over loopback HTTP against the real server with its durable file
/// repository: for each concurrency level, register fresh learners over /mcp, then send each of
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

    public sealed record Level(int Concurrency, int Events, int Failures, double Seconds, Latencies Latencies, double ServerCpuSeconds, double ClientCpuSeconds)
    {
        public double EventsPerSecond => Events / Seconds;
    }

    /// <summary>Per concurrency level: the fresh events, and (with replay) the same events again.</summary>
    public sealed record Run(IReadOnlyList<Level> Fresh, IReadOnlyList<Level> Replayed);

    /// <param name="registered">False for a server without tools (the do-nothing server): learner
    /// ids are made up instead of registered, and no document is read back.</param>
    public static async Task<Run> RunAsync(
        ServerBuild build, IReadOnlyDictionary<string, string> environment, int learners, int eventsPerLearner, IReadOnlyList<int> concurrencies, bool replay,
        bool registered = true)
    {
        var template = Encoding.UTF8.GetString(SharedStripeData.ReadBytes(TemplateFile));
        foreach (var marker in new[] { TemplateEventId, TemplateLearner, TemplateSession, TemplatePaymentIntent, TemplateCreated })
        {
            if (!template.Contains(marker, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{TemplateFile} no longer contains {marker}; update the load tool.");
            }
        }

        await using var server = await ServerUnderTest.StartAsync(build, environment);
        Console.WriteLine($"server pid {server.ProcessId} at {server.BaseAddress}, data {server.DataDirectory}, RSS after start {server.RssMiB:F1} MiB");

        // Warm-up on learners of its own, so the measured learners' documents start equally small.
        var warmLearners = registered ? await RegisterAsync(server, 200, "warm") : MadeUp(200, "warm");
        await SendAsync(server, Build(template, warmLearners, 2, "warm"), concurrency: 16);

        var results = new List<Level>();
        var replays = new List<Level>();
        foreach (var concurrency in concurrencies)
        {
            var ids = registered ? await RegisterAsync(server, learners, $"c{concurrency}") : MadeUp(learners, $"c{concurrency}");
            var events = Build(template, ids, eventsPerLearner, $"c{concurrency}");
            var level = await SendAsync(server, events, concurrency);
            results.Add(level);
            var paid = registered ? CountPaid(server.DataDirectory, ids) : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"concurrency {concurrency,3}: {level.Events} events in {level.Seconds:F2} s = {level.EventsPerSecond:F0} events/s, {level.Latencies.Summary()}, failures {level.Failures}, CPU per event: server {level.ServerCpuSeconds * 1e6 / level.Events:F0} µs, load tool {level.ClientCpuSeconds * 1e6 / level.Events:F0} µs, learners now paid {paid}/{ids.Count}, server RSS {server.RssMiB:F1} MiB"));
            if (level.Failures > 0)
            {
                Console.WriteLine("recent server log:\n" + server.RecentLog());
            }
            if (replay)
            {
                // The same events again, as Stripe's retries, the success page or a reconciliation
                // run deliver them: every one is answered "already applied", nothing changes.
                var again = await SendAsync(server, events, concurrency);
                replays.Add(again);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  replayed {concurrency,3}: {again.Events} events in {again.Seconds:F2} s = {again.EventsPerSecond:F0} events/s, {again.Latencies.Summary()}, failures {again.Failures}, CPU per event: server {again.ServerCpuSeconds * 1e6 / again.Events:F0} µs"));
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

    private static async Task<Level> SendAsync(ServerUnderTest server, byte[][] bodies, int concurrency)
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
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var uri = new Uri(server.BaseAddress, "/webhook");
        var latencies = new Latencies(bodies.Length);
        var failures = 0;
        var next = -1;
        var serverCpu = server.CpuSeconds;
        var clientCpu = Environment.CpuUsage.TotalTime;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bodies[i]) };
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
        total.Stop();
        return new Level(concurrency, bodies.Length, failures, total.Elapsed.TotalSeconds, latencies,
            server.CpuSeconds - serverCpu, (Environment.CpuUsage.TotalTime - clientCpu).TotalSeconds);
    }

    /// <summary>Reads the learners' documents back from disk: the effect every 200 promised.</summary>
    private static int CountPaid(string dataDirectory, IReadOnlyList<string> learners) =>
        learners.Count(id => File.ReadAllText(Path.Combine(dataDirectory, "learners", id + ".json"))
            .Contains("\"tier\": \"paid\"", StringComparison.Ordinal));
}
