using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Tests.Billing;

public sealed class LearnerPageTests
{
    private const string Hostile = "<script>alert('x')</script> & \"quoted\"";

    [Fact]
    public void Every_text_on_a_page_is_html_encoded()
    {
        var page = new LearnerPage(200, LearnerPageTone.Neutral, Hostile, Hostile, Hostile, Hostile,
            new LearnerPageLink(new Uri("https://tutor.example/pay/x?a=1&b=\"2\""), Hostile));

        var html = page.Render(Hostile);

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("\"quoted\"", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;", html);
        Assert.Contains("href=\"https://tutor.example/pay/x?a=1&amp;b=%222%22\"", html);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("ftp://tutor.example/pay/x")]
    public void A_page_link_must_be_http_or_https(string target)
    {
        Assert.Throws<ArgumentException>(() => new LearnerPageLink(new Uri(target), "Upgrade now"));
    }

    [Fact]
    public void A_page_link_must_be_absolute()
    {
        Assert.Throws<ArgumentException>(() => new LearnerPageLink(new Uri("/pay/x", UriKind.Relative), "Upgrade now"));
    }

    [Fact]
    public void The_cancel_page_offers_the_stable_link_when_it_is_given()
    {
        var html = LearnerPages.Cancelled(new Uri("https://tutor.example/pay/tok_fake_123")).Render("TutorClaw");

        Assert.Contains("<a class=\"button\" href=\"https://tutor.example/pay/tok_fake_123\">Upgrade now</a>", html);
    }

    [Fact]
    public void The_cancel_page_without_a_link_has_no_button_and_says_to_ask_the_tutor()
    {
        var html = LearnerPages.Cancelled(upgradeLink: null).Render("TutorClaw");

        Assert.DoesNotContain("<a ", html);
        Assert.Contains("ask the tutor for a new link", html);
    }

    [Fact]
    public void The_paid_page_says_the_contract_sentence()
    {
        var page = LearnerPages.Paid("cs_test_fake_1");

        Assert.Equal("You're on the paid tier — go back to WhatsApp.", page.Sentence);
        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Null(page.Refresh);
    }

    [Fact]
    public void The_not_found_page_is_a_404()
    {
        Assert.Equal(StatusCodes.Status404NotFound, LearnerPages.NotFound().StatusCode);
    }

    [Fact]
    public async Task Executing_a_page_sends_the_headers_and_the_configured_product_name()
    {
        var context = Context("Claw Academy", "GET");

        await LearnerPages.Confirming().ExecuteAsync(context);

        var response = context.Response;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal(LearnerPageHeaders.ContentSecurityPolicy, response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        var bytes = ((MemoryStream)response.Body).ToArray();
        Assert.Contains("<p class=\"brand\">Claw Academy</p>", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes.Length, response.ContentLength);
    }

    [Fact]
    public async Task A_head_request_gets_the_headers_and_no_body()
    {
        var context = Context("TutorClaw", "HEAD");

        await LearnerPages.NotFound().ExecuteAsync(context);

        Assert.Equal(404, context.Response.StatusCode);
        Assert.True(context.Response.ContentLength > 0);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.Equal(LearnerPageHeaders.ContentSecurityPolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
    }

    private static DefaultHttpContext Context(string productName, string method)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ServerOptions { ProductName = productName }))
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Response.Body = new MemoryStream();
        return context;
    }
}
