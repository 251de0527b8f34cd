using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;
using ModelContextProtocol.Client;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.TestSupport;
using Xunit.Abstractions;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// The crash drill (scripts/crash-drill.sh runs just this): the real server process under webhook
/// load over loopback, with many deliveries in flight so writes are group-committed, is killed
/// with SIGKILL at a random moment in each of several rounds, restarted on the same data
/// directory, and sent again what it did not acknowledge, as Stripe would. Right after each
/// restart a tool call sees every acknowledged event. Nothing acknowledged is lost, nothing is
/// applied twice, no learner document or index entry is torn.
/// </summary>
public sealed class CrashDrillTests(ITestOutputHelper output) : IDisposable
{
    private const int LearnerCount = 800;
    private const int Senders = 32;
    private const int KillRounds = 5;
    private const int MinAcksBeforeKill = 20;
    private const int MaxAcksBeforeKill = 60;
    private const string WebhookSecret = "whsec_fake_crash_drill_not_a_real_secret_0000";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }

    [Fact]
    public async Task Killing_the_server_mid_load_loses_no_acknowledged_event_and_applies_none_twice()
    {
        var payments = Enumerable.Range(0, LearnerCount).Select(i => StripeEvents.Paid("crash", i)).ToArray();
        using (var repository = new FileLearnerRepository(_dataDirectory, TimeProvider.System))
        {
            foreach (var payment in payments)
            {
                Assert.True(await repository.TryCreateAsync(
                    Learner.CreateFree(LearnerId.Parse(payment.LearnerId), "Crash " + payment.LearnerId, DateTimeOffset.UtcNow), default));
            }
        }
        var settings = new Dictionary<string, string>
        {
            ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
            ["TUTORCLAW_DATA_DIR"] = _dataDirectory,
        };
        var acknowledged = new ConcurrentDictionary<string, PaidCheckout>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");

        for (var round = 1; round <= KillRounds; round++)
        {
            var pending = payments.Where(p => !acknowledged.ContainsKey(p.EventId)).ToList();
            await using var server = await ServerProcess.StartAsync(settings);
            await AssertToolsSeeEveryAcknowledgedPaymentAsync(server, acknowledged.Values);
            var before = acknowledged.Count;
            var killAfter = random.Next(MinAcksBeforeKill, MaxAcksBeforeKill + 1);
            var (acks, failures) = await DeliverUntilKilledAsync(server, pending, acknowledged, killAfter);
            output.WriteLine($"round {round}: {pending.Count} pending, kill after {killAfter} acks: {acks} acknowledged, {failures} cut off by the kill ({clock.ElapsedMilliseconds} ms)");
            Assert.True(acknowledged.Count - before >= killAfter, $"Round {round} was killed before {killAfter} acknowledgements.");
            AssertEveryDocumentIsWhole();
        }
        Assert.True(acknowledged.Count < LearnerCount, "The load finished before the last kill; the drill killed nothing mid-load.");

        // Stripe redelivers what got no 200; and a redelivery of some acknowledged events must change nothing.
        var redeliveries = payments.Where(p => !acknowledged.ContainsKey(p.EventId))
            .Concat(payments.Where(p => acknowledged.ContainsKey(p.EventId)).Where((_, i) => i % 4 == 0))
            .ToList();
        var storedButNotAcknowledged = 0;
        await using (var server = await ServerProcess.StartAsync(settings))
        {
            await AssertToolsSeeEveryAcknowledgedPaymentAsync(server, acknowledged.Values);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = RequestTimeout };
            foreach (var payment in redeliveries)
            {
                using var response = await SendAsync(http, payment);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var detail = await response.Content.ReadAsStringAsync();
                if (acknowledged.ContainsKey(payment.EventId))
                {
                    Assert.Contains("already applied", detail);
                }
                else if (detail.Contains("already applied", StringComparison.Ordinal))
                {
                    storedButNotAcknowledged++;
                }
            }
        }
        output.WriteLine($"final: {redeliveries.Count} redelivered after the last restart, {storedButNotAcknowledged} of them " +
            $"stored before a kill but never acknowledged; {clock.ElapsedMilliseconds} ms in all");

        AssertEveryDocumentIsWhole();
        foreach (var payment in payments)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(LearnerPath(payment.LearnerId)));
            Assert.Equal("paid", document.RootElement.GetProperty("tier").GetString());
            var applied = document.RootElement.GetProperty("applied_event_ids").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal([payment.EventId], applied);
        }
    }

    /// <summary>
    /// Sends every pending event from several concurrent senders and kills the server (SIGKILL)
    /// as soon as <paramref name="killAfter"/> of them were acknowledged, while the rest are in flight.
    /// </summary>
    private static async Task<(int Acks, int Failures)> DeliverUntilKilledAsync(
        ServerProcess server, IReadOnlyList<PaidCheckout> pending, ConcurrentDictionary<string, PaidCheckout> acknowledged, int killAfter)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = RequestTimeout };
        var queue = new ConcurrentQueue<PaidCheckout>(pending);
        var acks = 0;
        var failures = 0;
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = false;

        async Task SendLoopAsync()
        {
            while (!Volatile.Read(ref killed) && queue.TryDequeue(out var payment))
            {
                try
                {
                    using var response = await SendAsync(http, payment);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged[payment.EventId] = payment;
                        if (Interlocked.Increment(ref acks) >= killAfter)
                        {
                            killNow.TrySetResult();
                        }
                    }
                    else
                    {
                        Assert.True((int)response.StatusCode < 500, $"{payment.EventId} answered {(int)response.StatusCode} before the kill.");
                    }
                }
                catch (HttpRequestException)
                {
                    // The server died with this request in flight: not acknowledged, so Stripe would retry.
                    Interlocked.Increment(ref failures);
                }
            }
        }

        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync)).ToArray();
        var finished = Task.WhenAll(senders);
        await Task.WhenAny(killNow.Task, finished).WaitAsync(TimeSpan.FromMinutes(2));
        await server.KillAsync();
        Volatile.Write(ref killed, true);
        await finished.WaitAsync(TimeSpan.FromMinutes(1));
        return (acks, failures);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, PaidCheckout payment)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(payment.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(
            "Stripe-Signature", StripeSignatureHeader.Sign(WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), payment.Body));
        return await http.SendAsync(request);
    }

    private string LearnerPath(string learnerId) => Path.Combine(_dataDirectory, "learners", learnerId + ".json");

    /// <summary>Recovery before the doors open: the first tool calls after a restart, over /mcp,
    /// already see every payment acknowledged before the kill.</summary>
    private static async Task AssertToolsSeeEveryAcknowledgedPaymentAsync(ServerProcess server, IEnumerable<PaidCheckout> acknowledged)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = RequestTimeout };
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(server.BaseAddress, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, ownsHttpClient: false));
        foreach (var payment in acknowledged)
        {
            var result = await client.CallToolAsync("get_learner_tier", new Dictionary<string, object?> { ["learner_id"] = payment.LearnerId });
            Assert.NotEqual(true, result.IsError);
            Assert.Equal("paid", result.StructuredContent!.Value.GetProperty("tier").GetString());
        }
    }

    /// <summary>Every learner document and payment-intent entry on disk parses; no temporary
    /// file is taken for a document.</summary>
    private void AssertEveryDocumentIsWhole()
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(_dataDirectory, "payment-intents")).Where(p => !TemporaryFile.IsTemporary(p)))
        {
            Assert.True(LearnerId.TryParse(File.ReadAllText(path).Trim(), out _), $"{Path.GetFileName(path)} does not hold a learner id.");
        }
        var documents = Directory.EnumerateFiles(Path.Combine(_dataDirectory, "learners"), "*.json").Where(p => !TemporaryFile.IsTemporary(p)).ToList();
        Assert.Equal(LearnerCount, documents.Count);
        using var repository = new FileLearnerRepository(_dataDirectory, TimeProvider.System);
        foreach (var path in documents)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            Assert.NotNull(repository.FindAsync(LearnerId.Parse(Path.GetFileNameWithoutExtension(path)), default).GetAwaiter().GetResult());
        }
    }
}
