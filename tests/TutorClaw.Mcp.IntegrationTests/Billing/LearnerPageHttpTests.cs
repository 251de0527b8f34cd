using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>What every learner's page sends over HTTP: its status, HTML, and the security headers
/// that keep the session id in the URL away from third parties.</summary>
public sealed partial class LearnerPageHttpTests
{
    public enum PageCase
    {
        SuccessPaid,
        SuccessPending,
        SuccessNotCompleted,
        SuccessUnknown,
        Cancel,
        NotFound,
    }

    [Theory]
    [InlineData(PageCase.SuccessPaid, 200)]
    [InlineData(PageCase.SuccessPending, 200)]
    [InlineData(PageCase.SuccessNotCompleted, 200)]
    [InlineData(PageCase.SuccessUnknown, 200)]
    [InlineData(PageCase.Cancel, 200)]
    [InlineData(PageCase.NotFound, 404)]
    public async Task Every_page_is_html_with_a_strict_policy_and_no_referrer_or_caching(PageCase page, int status)
    {
        await using var s = await StripeBackedApp.StartAsync();

        var response = await OpenAsync(s, page);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("default-src 'none'", directives["default-src"]);
        Assert.Equal("base-uri 'none'", directives["base-uri"]);
        Assert.Equal("form-action 'none'", directives["form-action"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.False(directives.ContainsKey("script-src"));
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl?.NoStore);

        var html = await response.Content.ReadAsStringAsync();
        var style = Assert.Single(StyleElements().Matches(html)).Groups[1].Value;
        Assert.Equal($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", directives["style-src"]);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReferences(), html);
    }

    [Fact]
    public async Task The_product_name_comes_from_its_variable_and_is_html_encoded()
    {
        await using var s = await StripeBackedApp.StartAsync(configure: app => app.Settings["TUTORCLAW_PRODUCT_NAME"] = "Claw <i>Academy</i> & Co");

        var html = await (await OpenAsync(s, PageCase.Cancel)).Content.ReadAsStringAsync();

        Assert.Contains("<title>Payment cancelled · Claw &lt;i&gt;Academy&lt;/i&gt; &amp; Co</title>", html);
        Assert.Contains("<p class=\"brand\">Claw &lt;i&gt;Academy&lt;/i&gt; &amp; Co</p>", html);
        Assert.DoesNotContain("TutorClaw", html);
    }

    [Fact]
    public async Task Without_the_variable_the_pages_say_tutorclaw()
    {
        await using var s = await StripeBackedApp.StartAsync();

        var html = await (await OpenAsync(s, PageCase.Cancel)).Content.ReadAsStringAsync();

        Assert.Contains("<title>Payment cancelled · TutorClaw</title>", html);
    }

    [Fact]
    public async Task The_paid_page_shows_the_session_reference_but_no_other_stripe_id()
    {
        await using var s = await StripeBackedApp.StartAsync();

        var html = await (await OpenAsync(s, PageCase.SuccessPaid)).Content.ReadAsStringAsync();

        Assert.Contains("You&#39;re on the paid tier — go back to WhatsApp.", html);
        Assert.Contains("<code>" + Assert.Single(s.Stripe.Sessions).Id + "</code>", html);
        Assert.DoesNotContain("pi_fake", html);
        Assert.DoesNotContain(TutorClawApp.PriceId, html);
    }

    [Fact]
    public async Task Only_the_pending_page_refreshes_itself()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var pending = await (await OpenAsync(s, PageCase.SuccessPending)).Content.ReadAsStringAsync();
        await using var t = await StripeBackedApp.StartAsync();
        var paid = await (await OpenAsync(t, PageCase.SuccessPaid)).Content.ReadAsStringAsync();

        Assert.Contains("<meta http-equiv=\"refresh\" content=\"30\">", pending);
        Assert.DoesNotContain("http-equiv=\"refresh\"", paid);
    }

    [Fact]
    public async Task A_hostile_session_id_is_not_echoed()
    {
        await using var s = await StripeBackedApp.StartAsync();

        var html = await s.App.CreateClient().GetStringAsync("/checkout/success?session_id=cs_%22%3E%3Cscript%3Ealert(1)%3C/script%3E");

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("alert(1)", html);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    [InlineData(null)]
    public async Task A_client_not_asking_for_html_keeps_the_plain_404(string? accept)
    {
        await using var s = await StripeBackedApp.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        var response = await s.App.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task A_post_to_an_unknown_path_keeps_the_plain_404()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/no-such-page") { Content = new StringContent("x") };
        request.Headers.Accept.ParseAdd("text/html");

        var response = await s.App.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_mcp_404_with_its_own_body_is_left_alone_even_for_a_browser()
    {
        // Only stateful /mcp knows sessions, and so answers an unknown one with its own 404.
        await using var s = await StripeBackedApp.StartAsync(configure: app => app.Settings["TUTORCLAW_MCP_STATEFUL"] = "true");
        var request = new HttpRequestMessage(HttpMethod.Get, "/mcp");
        request.Headers.Accept.ParseAdd("text/html, text/event-stream");
        request.Headers.Add("Mcp-Session-Id", "no-such-session");

        var response = await s.App.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    private static async Task<HttpResponseMessage> OpenAsync(StripeBackedApp s, PageCase page)
    {
        var client = s.App.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        switch (page)
        {
            case PageCase.SuccessPaid or PageCase.SuccessPending or PageCase.SuccessNotCompleted:
                await s.AddLearnerAsync();
                var session = await CreateSessionAsync(s);
                if (page != PageCase.SuccessNotCompleted)
                {
                    s.Stripe.CompleteSession(session, "pi_fake_pages_0001", paid: page == PageCase.SuccessPaid);
                }
                return await client.GetAsync($"/checkout/success?session_id={session}");
            case PageCase.SuccessUnknown:
                return await client.GetAsync("/checkout/success?session_id=cs_test_fake_made_up");
            case PageCase.Cancel:
                return await client.GetAsync("/checkout/cancel");
            default:
                return await client.GetAsync("/checkout/no-such-page");
        }
    }

    private static async Task<string> CreateSessionAsync(StripeBackedApp s)
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var result = await mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" });
        return result.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElements();

    /// <summary>Anything the page could load or send from elsewhere.</summary>
    [GeneratedRegex(@"(?:src|href|action|url\()\s*=?\s*[""']?\s*(?:https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReferences();
}
