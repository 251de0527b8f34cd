using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using Xunit.Abstractions;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Thousands of hostile /webhook deliveries (FsCheck generators, fixed seeds, see <see cref="WebhookFuzz"/>).
/// Nothing unverifiable changes a byte of the data directory; nothing at all gets a 5xx.
/// </summary>
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    private const int UnverifiableCases = 3000;
    private const int SignedGarbageCases = 1500;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");

    [Fact]
    public async Task Unverifiable_deliveries_are_refused_without_5xx_and_change_no_byte_on_disk()
    {
        using var app = new TutorClawApp();
        using var http = app.CreateClient();
        var webhook = new WebhookSender(app, http);
        Assert.True(await app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", app.Clock.GetUtcNow()), default));
        var cases = WebhookFuzz.Sample(
            WebhookFuzz.Unverifiable(TutorClawApp.WebhookSecret, app.Clock.GetUtcNow().ToUnixTimeSeconds()), seed: 20260601, UnverifiableCases);
        var before = DataDirectorySnapshot.Take(app.DataDirectory);

        var statuses = await SendAllAsync(webhook, cases);

        Assert.Empty(statuses.Where(s => s.Status is not (HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)).Select(s => s.ToString()));
        Assert.Empty(DataDirectorySnapshot.Differences(before, DataDirectorySnapshot.Take(app.DataDirectory)));
        // The same server still accepts a genuine delivery.
        using var genuine = await webhook.SendEventFileAsync("checkout.session.completed.json");
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Signed_but_damaged_or_hostile_events_never_get_a_5xx_and_leave_every_document_readable()
    {
        using var app = new TutorClawApp();
        using var http = app.CreateClient();
        var webhook = new WebhookSender(app, http);
        Assert.True(await app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", app.Clock.GetUtcNow()), default));
        var cases = WebhookFuzz.Sample(
            WebhookFuzz.SignedGarbage(TutorClawApp.WebhookSecret, app.Clock.GetUtcNow().ToUnixTimeSeconds()), seed: 20260602, SignedGarbageCases);

        var statuses = await SendAllAsync(webhook, cases);

        Assert.Empty(statuses.Where(s => s.Status is not (HttpStatusCode.OK or HttpStatusCode.BadRequest)).Select(s => s.ToString()));
        // The directories of the store, and its write-ahead journal file.
        var expectedDirectories = new[] { "learners", "payment-intents", "unmatched", "locks", "phones", "journal" };
        foreach (var file in Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(app.DataDirectory, file);
            Assert.Contains(relative.Split(Path.DirectorySeparatorChar)[0], expectedDirectories);
            if (relative.StartsWith("learners", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
            }
        }
        Assert.NotNull(await app.Learners.FindAsync(Demo, default));
        using var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Whatever the events left in the learner's billing history, the tools still read it.
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        var tier = await mcp.CallAsync("get_learner_tier", new { learner_id = Demo.Value });
        var access = await mcp.CallAsync("check_chapter_access", new { learner_id = Demo.Value, chapter = 9 });
        var upgrade = await mcp.CallAsync("get_upgrade_url", new { learner_id = Demo.Value });
        Assert.NotEqual(true, tier.IsError);
        Assert.NotEqual(true, access.IsError);
        Assert.DoesNotContain("An error occurred", Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(upgrade.Content)).Text);
    }

    private async Task<List<(FuzzDelivery Case, HttpStatusCode Status)>> SendAllAsync(WebhookSender webhook, IReadOnlyList<FuzzDelivery> cases)
    {
        using var budget = new CancellationTokenSource(Budget);
        var results = new List<(FuzzDelivery, HttpStatusCode)>(cases.Count);
        var clock = Stopwatch.StartNew();
        foreach (var delivery in cases)
        {
            budget.Token.ThrowIfCancellationRequested();
            using var response = await webhook.SendAsync(delivery.Body, delivery.Header);
            results.Add((delivery, response.StatusCode));
        }
        output.WriteLine($"{cases.Count} cases in {clock.ElapsedMilliseconds} ms; " + string.Join(", ",
            results.GroupBy(r => r.Item2).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}: {g.Count()}")));
        output.WriteLine(string.Join("\n", cases.GroupBy(c => c.Mutation).OrderBy(g => g.Key).Select(g => $"  {g.Count(),5} {g.Key}")));
        return results;
    }
}
