using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>Catching up from Stripe's event log after downtime, through the webhook's own apply path.</summary>
public sealed class ReconciliationTests
{
    private static Reconciler ReconcilerOf(StripeBackedApp s, int pageSize = 100)
    {
        var reconciler = s.App.Services.GetRequiredService<Reconciler>();
        reconciler.PageSize = pageSize;
        return reconciler;
    }

    private static async Task<Tier> TierOfAsync(StripeBackedApp s, string id) =>
        (await s.App.Learners.FindAsync(LearnerId.Parse(id), default))!.Tier;

    [Fact]
    public async Task A_webhook_missed_while_down_is_applied_by_the_run()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        s.Stripe.AddEvent(StripeEvents.Completed("evt_missed_1", "learner_demo", s.App.Clock.GetUtcNow().AddDays(-2)));

        var summary = await ReconcilerOf(s).RunAsync(null, null, default);

        Assert.True(summary.Completed);
        Assert.Equal(1, summary.Applied);
        Assert.Equal(Tier.Paid, await TierOfAsync(s, "learner_demo"));
        var list = Assert.Single(s.Stripe.Requests, r => r.Path == "/v1/events");
        Assert.Contains(list.QueryPairs, p => p.Key.StartsWith("types[", StringComparison.Ordinal) && p.Value == "checkout.session.completed");
        Assert.Contains(list.QueryPairs, p => p.Key == "created[gte]" && p.Value == s.App.Clock.GetUtcNow().AddDays(-30).ToUnixTimeSeconds().ToString());
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        s.Stripe.AddEvent(StripeEvents.Completed("evt_missed_1", "learner_demo", s.App.Clock.GetUtcNow().AddMinutes(-5)));
        var reconciler = ReconcilerOf(s);
        await reconciler.RunAsync(null, null, default);
        var afterFirst = s.DocumentBytes(id);

        s.App.Clock.Advance(TimeSpan.FromMinutes(15));
        var second = await reconciler.RunAsync(null, null, default);

        Assert.True(second.Completed);
        Assert.Equal(0, second.Applied);
        Assert.Equal(afterFirst, s.DocumentBytes(id));
    }

    [Fact]
    public async Task Events_the_webhook_already_applied_change_nothing()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var body = StripeEvents.Completed("evt_delivered_1", "learner_demo", s.App.Clock.GetUtcNow().AddHours(-1));
        var webhook = new WebhookSender(s.App, s.App.CreateClient());
        Assert.True((await webhook.SendSignedAsync(body)).IsSuccessStatusCode);
        s.Stripe.AddEvent(body);
        var before = s.DocumentBytes(id);

        var summary = await ReconcilerOf(s).RunAsync(null, null, default);

        Assert.Equal(1, summary.AlreadyApplied);
        Assert.Equal(0, summary.Applied);
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task Paging_walks_every_page()
    {
        await using var s = await StripeBackedApp.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            await s.AddLearnerAsync($"learner_{i}");
            s.Stripe.AddEvent(StripeEvents.Completed($"evt_page_{i}", $"learner_{i}", s.App.Clock.GetUtcNow().AddHours(-i - 1)));
        }
        var pages = new List<int>();

        var summary = await ReconcilerOf(s, pageSize: 3).RunAsync(null, (page, _) => pages.Add(page), default);

        Assert.Equal([1, 2, 3], pages);
        Assert.Equal(7, summary.Applied);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(Tier.Paid, await TierOfAsync(s, $"learner_{i}"));
        }
    }

    [Fact]
    public async Task A_run_interrupted_after_page_one_resumes_at_page_two()
    {
        await using var s = await StripeBackedApp.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            await s.AddLearnerAsync($"learner_{i}");
            s.Stripe.AddEvent(StripeEvents.Completed($"evt_resume_{i}", $"learner_{i}", s.App.Clock.GetUtcNow().AddHours(-i - 1)));
        }
        var reconciler = ReconcilerOf(s, pageSize: 3);

        var first = await reconciler.RunAsync(null, (page, _) =>
        {
            // Stripe fails for good (every retry) just after page 1 was applied.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                s.Stripe.EnqueueResponse(500, FakeStripeServer.ErrorJson("api_error", "Stripe is having a bad day."));
            }
        }, default);

        Assert.False(first.Completed);
        Assert.Equal(3, first.Applied);
        var cursor = (await reconciler.ReadCursorAsync(CancellationToken.None));
        Assert.Equal("evt_resume_2", cursor.Pending!.StartingAfter);
        Assert.Equal(Tier.Paid, await TierOfAsync(s, "learner_2"));
        Assert.Equal(Tier.Free, await TierOfAsync(s, "learner_3"));

        var second = await reconciler.RunAsync(null, null, default);

        Assert.True(second.Completed);
        Assert.Equal(3, second.Applied);
        Assert.Equal(3, second.Seen);
        var resumed = s.Stripe.Requests.Where(r => r.Path == "/v1/events").Last(r => r.QueryPairs.Any(p => p.Key == "starting_after"));
        Assert.Contains(resumed.QueryPairs, p => p.Key == "starting_after" && p.Value == "evt_resume_2");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(Tier.Paid, await TierOfAsync(s, $"learner_{i}"));
        }
        Assert.Null((await reconciler.ReadCursorAsync(CancellationToken.None)).Pending);
    }

    [Fact]
    public async Task Stripe_failing_on_the_first_page_leaves_state_and_cursor_as_they_were()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        s.Stripe.AddEvent(StripeEvents.Completed("evt_x", "learner_demo", s.App.Clock.GetUtcNow().AddHours(-1)));
        var before = s.DocumentBytes(id);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            s.Stripe.EnqueueResponse(503, FakeStripeServer.ErrorJson("api_error", "unavailable"));
        }
        var reconciler = ReconcilerOf(s);

        var summary = await reconciler.RunAsync(null, null, default);

        Assert.False(summary.Completed);
        Assert.NotNull(summary.Failure);
        Assert.Equal(before, s.DocumentBytes(id));
        Assert.Null((await reconciler.ReadCursorAsync(CancellationToken.None)).CompleteThrough);
        Assert.Null((await reconciler.ReadCursorAsync(CancellationToken.None)).Pending!.StartingAfter);
    }

    [Fact]
    public async Task Events_for_unknown_learners_wait_in_the_unmatched_log_until_the_learner_exists()
    {
        await using var s = await StripeBackedApp.StartAsync();
        s.Stripe.AddEvent(StripeEvents.Completed("evt_early", "learner_later", s.App.Clock.GetUtcNow().AddHours(-1)));
        var reconciler = ReconcilerOf(s);

        var first = await reconciler.RunAsync(null, null, default);
        Assert.Equal(1, first.Unmatched);
        Assert.Single(Directory.GetFiles(Path.Combine(s.App.DataDirectory, "unmatched")));

        await s.AddLearnerAsync("learner_later");
        s.App.Clock.Advance(TimeSpan.FromMinutes(15));
        var second = await reconciler.RunAsync(null, null, default);

        Assert.Equal(1, second.UnmatchedResolved);
        Assert.Equal(Tier.Paid, await TierOfAsync(s, "learner_later"));
        Assert.Empty(Directory.GetFiles(Path.Combine(s.App.DataDirectory, "unmatched")));
    }

    [Fact]
    public async Task Since_looks_back_only_as_far_as_asked()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();

        await ReconcilerOf(s).RunAsync(TimeSpan.FromHours(72), null, default);

        var list = Assert.Single(s.Stripe.Requests, r => r.Path == "/v1/events");
        Assert.Contains(list.QueryPairs, p => p.Key == "created[gte]" && p.Value == s.App.Clock.GetUtcNow().AddHours(-72).ToUnixTimeSeconds().ToString());
    }
}
