using System.Net;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Subscriptions;

/// <summary>get_billing_portal_url against the fake Stripe, through a real MCP client.</summary>
public sealed class BillingPortalToolTests
{
    [Fact]
    public async Task A_subscriber_gets_a_portal_session_for_their_customer_returning_to_the_public_url()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        var now = s.App.Clock.GetUtcNow();
        var webhook = new WebhookSender(s.App, s.App.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await webhook.SendSignedAsync(
            Subscription("evt_fake_portal_01", "customer.subscription.created", now, "active", now.AddDays(30)))).StatusCode);
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var result = await mcp.CallAsync("get_billing_portal_url", new { learner_id = id.Value });

        Assert.NotEqual(true, result.IsError);
        var json = result.StructuredContent!.Value;
        Assert.StartsWith("https://billing.stripe.com/p/session/test_fake_", json.GetProperty("url").GetString(), StringComparison.Ordinal);
        var request = Assert.Single(s.Stripe.Requests, r => r.Path == "/v1/billing_portal/sessions");
        Assert.Equal(CustomerId, request.FormValue("customer"));
        Assert.Equal(s.App.Settings["TUTORCLAW_PUBLIC_URL"]?.TrimEnd('/') + "/", request.FormValue("return_url"));
    }

    [Fact]
    public async Task A_learner_without_a_stripe_customer_gets_a_clear_error_and_stripe_is_not_called()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var result = await mcp.CallAsync("get_billing_portal_url", new { learner_id = id.Value });

        Assert.True(result.IsError);
        Assert.Contains("no monthly plan", ((TextContentBlock)result.Content[0]).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Stripe.Requests, r => r.Path == "/v1/billing_portal/sessions");
    }

    [Fact]
    public async Task The_tool_is_listed_with_a_title_honest_annotations_and_an_output_schema()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var tool = Assert.Single(await mcp.Client.ListToolsAsync(), t => t.Name == "get_billing_portal_url").ProtocolTool;

        Assert.False(string.IsNullOrEmpty(tool.Title));
        Assert.Equal((false, false, false, true), (tool.Annotations!.ReadOnlyHint, tool.Annotations.DestructiveHint, tool.Annotations.IdempotentHint, tool.Annotations.OpenWorldHint));
        Assert.True(tool.OutputSchema!.Value.GetProperty("properties").TryGetProperty("url", out _));
    }
}
