using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Learners.Operators;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>The stable link /pay/&lt;token&gt; through the real server, the real Stripe client and the fake Stripe.</summary>
public sealed class PayLinkTests
{
    private static async Task<JsonElement> UpgradeAsync(StripeBackedApp s)
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var result = await mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" });
        Assert.NotEqual(true, result.IsError);
        return result.StructuredContent!.Value;
    }

    private static HttpClient Browser(StripeBackedApp s) =>
        s.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static string PathOf(JsonElement upgrade) => new Uri(upgrade.GetProperty("url").GetString()!).AbsolutePath;

    private static int Creates(StripeBackedApp s) => s.Stripe.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions");

    [Fact]
    public async Task The_link_is_opaque_and_goes_to_the_open_session_with_the_page_headers()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var upgrade = await UpgradeAsync(s);

        var response = await Browser(s).GetAsync(PathOf(upgrade));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(upgrade.GetProperty("checkout_url").GetString(), response.Headers.Location!.ToString());
        Assert.Equal(LearnerPageHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(1, Creates(s));
        var token = PathOf(upgrade)["/pay/".Length..];
        Assert.True(UpgradeLinks.IsToken(token));
        Assert.DoesNotContain("learner", token, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Zo", token, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_session_expires_at_stripe_the_same_link_leads_to_a_new_session()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var upgrade = await UpgradeAsync(s);
        s.App.Clock.Advance(TimeSpan.FromHours(24));

        var response = await Browser(s).GetAsync(PathOf(upgrade));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.NotEqual(upgrade.GetProperty("checkout_url").GetString(), response.Headers.Location!.ToString());
        Assert.Equal(2, Creates(s));
        var newest = s.Stripe.Requests.Last(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions");
        Assert.StartsWith("tutorclaw-checkout-learner_demo-2-", newest.Header("Idempotency-Key"));
        var learner = (await s.App.Learners.FindAsync(LearnerId.Parse("learner_demo"), default))!;
        Assert.Equal(response.Headers.Location!.ToString(), learner.Checkouts.OrderBy(c => c.CreatedAt).Last().Url);
    }

    [Fact]
    public async Task A_paid_learner_sees_the_paid_page_without_a_stripe_call()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var upgrade = await UpgradeAsync(s);
        await s.App.Learners.UpdateAsync(id, l => l with { Tier = Tier.Paid }, default);
        var before = s.Stripe.Requests.Count;

        var response = await Browser(s).GetAsync(PathOf(upgrade));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You&#39;re on the paid tier", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, s.Stripe.Requests.Count);
    }

    [Theory]
    [InlineData("/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/pay/learner_demo")]
    [InlineData("/pay/..%2F..%2Flearners%2Flearner_demo.json")]
    public async Task An_unknown_token_gets_the_not_found_page(string path)
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        await UpgradeAsync(s);

        var response = await Browser(s).GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This link does not lead anywhere.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Past_a_few_new_sessions_in_an_hour_the_page_says_try_again_later()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var upgrade = await UpgradeAsync(s);
        var client = Browser(s);
        // Each session is cancelled at once (expired in the learner's record): every open needs a new one.
        async Task ExpireAllAsync() => await s.App.Learners.UpdateAsync(id, l => l with
        {
            Checkouts = [.. l.Checkouts.Select(c => c.Status == CheckoutStatus.Open ? c with { Facts = c.Facts with { ExpiredAt = s.App.Clock.GetUtcNow() } } : c)],
        }, default);
        for (var opened = 1; opened < PayLinkPage.NewSessionsPerHour; opened++)
        {
            await ExpireAllAsync();
            Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync(PathOf(upgrade))).StatusCode);
        }
        await ExpireAllAsync();
        var creates = Creates(s);

        var limited = await client.GetAsync(PathOf(upgrade));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("please try again later", await limited.Content.ReadAsStringAsync());
        Assert.Equal(creates, Creates(s));
        s.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync(PathOf(upgrade))).StatusCode);
        Assert.Equal(creates + 1, Creates(s));
    }

    [Fact]
    public async Task The_link_is_the_same_on_every_call_and_after_a_restart()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var first = (await UpgradeAsync(s)).GetProperty("url").GetString();
        s.App.Clock.Advance(TimeSpan.FromHours(30));
        var second = (await UpgradeAsync(s)).GetProperty("url").GetString();
        await using var restarted = await StripeBackedApp.StartAsync(configure: app => app.Settings["TUTORCLAW_DATA_DIR"] = s.App.DataDirectory);
        restarted.App.Clock.Advance(TimeSpan.FromHours(60));

        var third = (await UpgradeAsync(restarted)).GetProperty("url").GetString();
        var opened = await Browser(restarted).GetAsync(new Uri(third!).AbsolutePath);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
    }

    [Fact]
    public async Task Rotating_the_link_retires_the_old_one_and_the_tool_gives_the_new_one()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var old = PathOf(await UpgradeAsync(s));
        var output = new StringWriter();

        var exit = await s.App.Services.GetRequiredService<RotateUpgradeLinkCommand>().RunAsync("learner_demo", output, TextWriter.Null, default);

        Assert.Equal(0, exit);
        Assert.DoesNotContain(old["/pay/".Length..], output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser(s).GetAsync(old)).StatusCode);
        var fresh = PathOf(await UpgradeAsync(s));
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.SeeOther, (await Browser(s).GetAsync(fresh)).StatusCode);
        Assert.Equal(2, await s.App.Services.GetRequiredService<RotateUpgradeLinkCommand>().RunAsync("nobody_here", TextWriter.Null, TextWriter.Null, default));
    }

    [Fact]
    public async Task Revoking_the_learner_retires_the_link()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var old = PathOf(await UpgradeAsync(s));

        var exit = await s.App.Services.GetRequiredService<TierCommands>().RevokeAsync("learner_demo", "leaked link", TextWriter.Null, TextWriter.Null, default);

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser(s).GetAsync(old)).StatusCode);
        Assert.NotEqual(old, PathOf(await UpgradeAsync(s)));
    }

    [Fact]
    public async Task The_cancel_page_offers_the_stable_link_again_from_stripes_cancel_url()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var upgrade = await UpgradeAsync(s);
        var cancelUrl = s.Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions").Form.Single(f => f.Key == "cancel_url").Value;

        var offered = await (await Browser(s).GetAsync(new Uri(cancelUrl).PathAndQuery)).Content.ReadAsStringAsync();
        var unknown = await (await Browser(s).GetAsync("/checkout/cancel?link=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).Content.ReadAsStringAsync();

        Assert.Contains($"href=\"{upgrade.GetProperty("url").GetString()}\"", offered);
        Assert.DoesNotContain("/pay/", unknown);
    }
}
