using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Two processes writing one data directory at once: the server under webhook load and a
/// `reconcile` run applying Stripe's event log to the same learners. Both take the same
/// cross-process lock per learner and write through their own group committer; no update of
/// either is lost.
/// </summary>
public sealed class TwoProcessWriteTests
{
    private const int LearnerCount = 200;
    private const int Senders = 16;
    private const string WebhookSecret = "whsec_fake_two_process_not_a_real_secret_00";

    [Fact]
    public async Task A_server_under_webhook_load_and_a_reconcile_run_writing_at_once_lose_nothing()
    {
        using var built = new BuiltServer();
        await using var stripe = await FakeStripeServer.StartAsync(TutorClawApp.SecretKey, TutorClawApp.PriceId);
        var payments = Enumerable.Range(0, LearnerCount).Select(i => StripeEvents.Paid("both", i)).ToArray();
        using (var repository = new FileLearnerRepository(built.DataDirectory, TimeProvider.System))
        {
            foreach (var payment in payments)
            {
                Assert.True(await repository.TryCreateAsync(
                    Learner.CreateFree(LearnerId.Parse(payment.LearnerId), "Both " + payment.LearnerId, DateTimeOffset.UtcNow), default));
            }
        }
        // Reconcile applies a second, different payment event to each learner.
        foreach (var (payment, i) in payments.Select((p, i) => (p, i)))
        {
            stripe.AddEvent(StripeEvents.Completed($"evt_reconciled_{i:D6}", payment.LearnerId, DateTimeOffset.UtcNow.AddHours(-1)));
        }
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
            ["TUTORCLAW_DATA_DIR"] = built.DataDirectory,
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var reconcile = ProcessRun.RunAsync(
            BuiltServer.DotnetHost,
            [BuiltServer.ServerDll, "reconcile"],
            built.WorkingDirectory,
            built.Environment(
                ("STRIPE_SECRET_KEY", TutorClawApp.SecretKey),
                ("STRIPE_PRICE_ID_PAID", TutorClawApp.PriceId),
                ("STRIPE_API_BASE", stripe.BaseUrl.ToString())),
            BuiltServer.Patience);
        var queue = new ConcurrentQueue<PaidCheckout>(payments);
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var payment))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(payment.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(
                    "Stripe-Signature", StripeSignatureHeader.Sign(WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), payment.Body));
                using var response = await http.SendAsync(request);
                statuses.Add(response.StatusCode);
            }
        })));
        var run = await reconcile;

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"applied {LearnerCount}, already applied 0", run.Stdout);
        foreach (var (payment, i) in payments.Select((p, i) => (p, i)))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(built.DataDirectory, "learners", payment.LearnerId + ".json")));
            var applied = document.RootElement.GetProperty("applied_event_ids").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(new[] { payment.EventId, $"evt_reconciled_{i:D6}" }.Order(StringComparer.Ordinal), applied);
        }
    }
}
