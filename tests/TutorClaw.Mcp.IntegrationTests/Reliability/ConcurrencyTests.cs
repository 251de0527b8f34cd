using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using Xunit.Abstractions;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Load on one server: many learners paid at once, every event delivered twice (as Stripe may),
/// the tutor asking for tiers all the while. Exactly one effect per event, nothing lost, no 5xx.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int LearnerCount = 2000;
    private const int Concurrency = 64;
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    private enum Step
    {
        Deliver,
        AskTier,
    }

    [Fact]
    public async Task Two_thousand_payments_delivered_twice_at_64_way_concurrency_are_each_applied_exactly_once()
    {
        using var app = new TutorClawApp();
        using var http = app.CreateClient();
        var webhook = new WebhookSender(app, http);
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        using var budget = new CancellationTokenSource(Budget);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = budget.Token };
        var payments = Enumerable.Range(0, LearnerCount).Select(i => StripeEvents.Paid("load", i)).ToArray();
        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(payments, parallel, async (payment, ct) =>
        {
            var learner = Learner.CreateFree(LearnerId.Parse(payment.LearnerId), "Load " + payment.LearnerId, app.Clock.GetUtcNow());
            Assert.True(await app.Learners.TryCreateAsync(learner, ct));
        });
        setup.Stop();
        // Every payment is delivered, redelivered, and its learner's tier asked for over MCP; the
        // seeded shuffle puts some redeliveries right beside (so concurrent with) the first.
        var work = payments.SelectMany(p => new[] { (p, Step.Deliver), (p, Step.Deliver), (p, Step.AskTier) }).ToArray();
        new Random(20260601).Shuffle(work);
        var replies = new ConcurrentBag<(string EventId, HttpStatusCode Status, string Detail)>();
        var toolErrors = new ConcurrentBag<string>();

        var load = Stopwatch.StartNew();
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
        {
            var (payment, step) = item;
            if (step == Step.Deliver)
            {
                using var response = await webhook.SendSignedAsync(payment.Body);
                replies.Add((payment.EventId, response.StatusCode, await DetailAsync(response, ct)));
            }
            else
            {
                var tier = await mcp.CallAsync("get_learner_tier", new { learner_id = payment.LearnerId });
                if (tier.IsError == true || tier.StructuredContent?.GetProperty("tier").GetString() is not ("free" or "paid"))
                {
                    toolErrors.Add(payment.LearnerId);
                }
            }
        });
        load.Stop();
        output.WriteLine($"{LearnerCount} learners created in {setup.ElapsedMilliseconds} ms; " +
            $"{replies.Count} deliveries and {LearnerCount} tier calls at {Concurrency}-way concurrency in {load.ElapsedMilliseconds} ms.");

        Assert.Empty(toolErrors);
        Assert.Equal(2 * LearnerCount, replies.Count);
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(LearnerCount, replies.Count(r => r.Detail.StartsWith("applied", StringComparison.Ordinal)));
        Assert.Equal(LearnerCount, replies.Count(r => r.Detail == "already applied"));
        Assert.All(replies.GroupBy(r => r.EventId), g => Assert.Single(g, r => r.Detail.StartsWith("applied", StringComparison.Ordinal)));
        foreach (var payment in payments)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(app.DataDirectory, "learners", payment.LearnerId + ".json")));
            Assert.Equal("paid", document.RootElement.GetProperty("tier").GetString());
            var applied = document.RootElement.GetProperty("applied_event_ids").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal([payment.EventId], applied);
        }
        var sample = await mcp.CallAsync("get_learner_tier", new { learner_id = payments[^1].LearnerId });
        Assert.Equal("paid", sample.StructuredContent!.Value.GetProperty("tier").GetString());
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("detail").GetString() ?? "";
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
