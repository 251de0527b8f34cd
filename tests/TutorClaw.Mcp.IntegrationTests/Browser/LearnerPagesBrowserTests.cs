using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Browser;

/// <summary>
/// Every page the learner's browser can reach, served by the real server on a loopback socket and
/// opened in Debian's Chromium at a phone's viewport: the main sentence is on the first screen,
/// nothing scrolls sideways, no request goes to another host, the Content-Security-Policy holds
/// (no violation in the console), and no Stripe id but the session reference is shown.
/// Screenshots: TestResults/browser/*.png.
/// </summary>
public sealed partial class LearnerPagesBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_paid_page_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        s.Stripe.CompleteSession(session, "pi_fake_browser_paid_0001");

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, $"/checkout/success?session_id={session}", "success-paid");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "You're on the paid tier — go back to WhatsApp.");
        Assert.Contains(session, await visit.VisibleTextAsync());
    }

    [Fact]
    public async Task The_pending_page_reads_well_on_a_phone_and_refreshes_itself()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);
        s.Stripe.CompleteSession(session, "pi_fake_browser_pending_0001", paid: false);

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, $"/checkout/success?session_id={session}", "success-pending");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "Your payment is on its way — go back to WhatsApp to keep learning.");
        Assert.Equal("30", await visit.Page.Locator("meta[http-equiv=refresh]").GetAttributeAsync("content"));
    }

    [Fact]
    public async Task The_unfinished_payment_page_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        await s.AddLearnerAsync();
        var session = await CreateSessionAsync(s);

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, $"/checkout/success?session_id={session}", "success-not-completed");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "This payment has not been completed.");
        Assert.Equal(0, await visit.Page.Locator("meta[http-equiv=refresh]").CountAsync());
    }

    [Fact]
    public async Task The_unknown_session_page_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/checkout/success?session_id=cs_test_fake_made_up_0001", "success-unknown");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "We are confirming your payment with Stripe — go back to WhatsApp to continue.");
    }

    [Fact]
    public async Task The_cancel_page_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/checkout/cancel", "cancel");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "No payment was made and nothing has changed.");
    }

    [Fact]
    public async Task The_not_found_page_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/checkout/no-such-page", "not-found");

        Assert.Equal(404, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "This link does not lead anywhere.");
    }

    [Fact]
    public async Task The_stable_link_of_a_paid_learner_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        var id = await s.AddLearnerAsync();
        var token = await s.App.Services.GetRequiredService<UpgradeLinks>().EnsureAsync(id, default);
        await s.App.Learners.UpdateAsync(id, l => l with { Tier = TutorClaw.Mcp.Learners.Tier.Paid }, default);

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/pay/" + token, "pay-already-paid");

        Assert.Equal(200, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "You're on the paid tier — go back to WhatsApp.");
    }

    [Fact]
    public async Task The_stable_link_past_its_hourly_limit_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        var id = await s.AddLearnerAsync();
        var token = await s.App.Services.GetRequiredService<UpgradeLinks>().EnsureAsync(id, default);
        var now = s.App.Clock.GetUtcNow();
        await s.App.Learners.UpdateAsync(id, l => l with
        {
            Checkouts = [.. Enumerable.Range(1, PayLinkPage.NewSessionsPerHour).Select(n => new TutorClaw.Mcp.Learners.CheckoutRecord
            {
                SessionId = "cs_test_fake_expired_" + n,
                CreatedAt = now,
                Facts = new TutorClaw.Mcp.Learners.CheckoutFacts { ExpiredAt = now },
            })],
        }, default);

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/pay/" + token, "pay-try-later");

        Assert.Equal(429, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "Too many payment pages were opened for you in the last hour — please try again later.");
    }

    [Fact]
    public async Task An_unknown_stable_link_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "pay-unknown");

        Assert.Equal(404, visit.Status);
        await AssertReadsWellOnAPhoneAsync(visit, "This link does not lead anywhere.");
    }

    [Fact]
    public async Task The_cancel_page_with_the_stable_link_reads_well_on_a_phone()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = s.App.StartOnLoopback();
        var id = await s.AddLearnerAsync();
        var token = await s.App.Services.GetRequiredService<UpgradeLinks>().EnsureAsync(id, default);

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/checkout/cancel?link=" + token, "cancel-with-link");

        await AssertReadsWellOnAPhoneAsync(visit, "No payment was made and nothing has changed.");
        Assert.EndsWith("/pay/" + token, await visit.Page.Locator("a.button").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task A_long_product_name_with_markup_shows_as_text_and_still_fits()
    {
        const string name = "<b>Claw</b>&Co_Supercalifragilisticexpialidocious_Academy_XL";
        await using var s = await StripeBackedApp.StartAsync(configure: app => app.Settings["TUTORCLAW_PRODUCT_NAME"] = name);
        var origin = s.App.StartOnLoopback();

        await using var visit = await PhoneVisit.OpenAsync(chromium.Browser, origin, "/checkout/cancel", "cancel-long-product-name");

        await AssertReadsWellOnAPhoneAsync(visit, "No payment was made and nothing has changed.");
        Assert.Equal(name, await visit.Page.Locator(".brand").InnerTextAsync(), ignoreCase: true);
        Assert.Equal(0, await visit.Page.Locator("main b").CountAsync());
        Assert.EndsWith(name, await visit.Page.TitleAsync());
    }

    private static async Task AssertReadsWellOnAPhoneAsync(PhoneVisit visit, string mainSentence)
    {
        var sentence = visit.Page.GetByText(mainSentence, new() { Exact = true });
        Assert.True(await sentence.IsVisibleAsync(), $"'{mainSentence}' is not visible; see {visit.ScreenshotPath}");
        var box = await sentence.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= PhoneVisit.Width && box.Y >= 0 && box.Y + box.Height <= PhoneVisit.Height,
            $"The main sentence lies outside the first screen ({box.X},{box.Y} {box.Width}×{box.Height}); see {visit.ScreenshotPath}");

        var widths = await visit.Page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]");
        Assert.True(widths[0] <= widths[1] && widths[2] <= widths[1],
            $"The page scrolls sideways (scrollWidth {widths[0]}/{widths[2]} > clientWidth {widths[1]}); see {visit.ScreenshotPath}");

        Assert.NotEmpty(visit.Requests);
        Assert.All(visit.Requests, url => Assert.True(visit.IsSameOrigin(url), $"The page asked another host for {url}."));
        Assert.Empty(visit.Errors);

        var text = await visit.VisibleTextAsync();
        Assert.DoesNotMatch(OtherStripeIds(), text);
        Assert.DoesNotContain("Exception", text);
    }

    private static async Task<string> CreateSessionAsync(StripeBackedApp s)
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var result = await mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" });
        return result.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    /// <summary>Stripe ids a learner's page must never show (the Checkout Session reference, cs_, may appear).</summary>
    [GeneratedRegex(@"\b(?:pi|ch|py|evt|price|prod|cus|dp|re|sk|rk|pk|whsec|in|sub|acct)_[A-Za-z0-9]")]
    private static partial Regex OtherStripeIds();
}
