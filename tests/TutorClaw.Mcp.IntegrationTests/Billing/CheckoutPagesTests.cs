using System.Net;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>The learner's browser after Stripe's page: the success fast path and the cancel page.</summary>
public sealed class CheckoutPagesTests
{
    private static async Task<string> CreateSessionAsync(StripeBackedApp s)
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var result = await mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" });
        return result.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    [Fact]
    public async Task The_success_page_applies_a_paid_session_at_once()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        s.Stripe.CompleteSession(session, "pi_fake_paid_0001");

        var response = await s.App.CreateClient().GetAsync($"/checkout/success?session_id={session}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("paid tier", await response.Content.ReadAsStringAsync());
        var learner = (await s.App.Learners.FindAsync(id, default))!;
        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Equal("pi_fake_paid_0001", Assert.Single(learner.Checkouts).PaymentIntentId);
    }

    [Fact]
    public async Task Reloading_the_success_page_changes_nothing_more()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        s.Stripe.CompleteSession(session, "pi_fake_paid_0002");
        var client = s.App.CreateClient();
        await client.GetAsync($"/checkout/success?session_id={session}");
        var afterFirst = s.DocumentBytes(id);

        s.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync($"/checkout/success?session_id={session}");

        Assert.Equal(afterFirst, s.DocumentBytes(id));
    }

    [Fact]
    public async Task An_unfinished_session_on_the_success_page_changes_nothing()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        var before = s.DocumentBytes(id);

        var response = await s.App.CreateClient().GetAsync($"/checkout/success?session_id={session}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not been completed", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task A_made_up_session_id_gets_a_polite_page_and_changes_nothing()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var before = s.DocumentBytes(id);

        var bogus = await s.App.CreateClient().GetAsync("/checkout/success?session_id=cs_test_made_up");
        var hostile = await s.App.CreateClient().GetAsync("/checkout/success?session_id=%3Cscript%3Ealert(1)%3C/script%3E");

        Assert.Equal(HttpStatusCode.OK, bogus.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hostile.StatusCode);
        Assert.DoesNotContain("<script>", await hostile.Content.ReadAsStringAsync());
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task The_cancel_page_changes_nothing()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await CreateSessionAsync(s);
        var before = s.DocumentBytes(id);

        var response = await s.App.CreateClient().GetAsync("/checkout/cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No payment was made", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, s.DocumentBytes(id));
    }
}
