using System.Net;
using TutorClaw.Mcp.Billing;
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

    private static int SessionLookups(StripeBackedApp s) =>
        s.Stripe.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1/checkout/sessions/", StringComparison.Ordinal));

    [Theory]
    [InlineData("cs_live_a1Aeiw3YqT7i72gaj9uUUldCG3iGEXZc5PqVKxD1n4xvVfpaS55ypjWRdD")]
    [InlineData("cs_test_")]
    [InlineData("cs_a1Aeiw3YqT7i72gaj9uUUldCG3iGEXZc5PqVKxD1n4xvVfpaS55ypjWRdD")]
    [InlineData("cs_test_a1-b2")]
    [InlineData("pi_test_a1Aeiw3YqT7i72gaj9uUUldCG3iG")]
    [InlineData("cs_test_%2E%2E%2Fv1%2Fevents")]
    public async Task A_session_id_of_the_wrong_shape_or_mode_gets_a_plain_page_without_asking_Stripe(string sessionId)
    {
        await using var s = await StripeBackedApp.StartAsync();

        var response = await s.App.CreateClient().GetAsync("/checkout/success?session_id=" + sessionId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Thank you", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, SessionLookups(s));
    }

    [Fact]
    public async Task A_very_long_session_id_is_not_looked_up()
    {
        await using var s = await StripeBackedApp.StartAsync();

        await s.App.CreateClient().GetAsync("/checkout/success?session_id=cs_test_" + new string('a', 201));

        Assert.Equal(0, SessionLookups(s));
    }

    [Fact]
    public async Task A_session_Stripe_does_not_know_is_looked_up_once_however_often_the_page_loads()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var client = s.App.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/checkout/success?session_id=cs_test_someone_elses_session");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, SessionLookups(s));
    }

    [Fact]
    public async Task A_paid_session_for_a_learner_not_registered_here_is_looked_up_once_and_changes_nothing_on_disk()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        s.Stripe.CompleteSession(session, "pi_fake_elsewhere_0001");
        File.Delete(Path.Combine(s.App.DataDirectory, "learners", id.Value + ".json"));
        var client = s.App.CreateClient();
        var before = SessionLookups(s);
        var disk = Directory.GetFiles(s.App.DataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync($"/checkout/success?session_id={session}");
            Assert.Contains("Thank you", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, SessionLookups(s) - before);
        Assert.Equal(disk, Directory.GetFiles(s.App.DataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task The_success_page_is_rate_limited_per_client_and_a_refused_load_does_not_reach_Stripe()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var client = s.App.CreateClient();
        s.App.RemoteIpAddress = IPAddress.Parse("192.0.2.10");

        // More than two buckets' worth, with a distinct id each so no memory helps: even if the
        // bucket refilled once during the loop, some loads must be refused.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3 * CheckoutPages.LoadsPerMinute; i++)
        {
            statuses.Add((await client.GetAsync($"/checkout/success?session_id=cs_test_probe_{i}")).StatusCode);
        }
        s.App.RemoteIpAddress = IPAddress.Parse("192.0.2.11");
        var otherClient = await client.GetAsync("/checkout/success?session_id=cs_test_probe_other");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(statuses.Count(c => c == HttpStatusCode.OK) + 1, SessionLookups(s));
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
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
