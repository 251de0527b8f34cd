using System.Net;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Tools;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>
/// The official TypeScript SDK client (tests/js-client/tool-results.mjs) calls every tool in success
/// and error cases against the server on a real loopback port, with the fake Stripe behind it. The
/// client validates every structuredContent against the tool's outputSchema (the script proves it
/// did, validates again itself, and fails on any mismatch), so a result that does not fit its
/// schema, error results included, fails these tests.
/// </summary>
public sealed class JsSdkClientToolResultsTests
{
    private static readonly string[] Tools =
        ["register_learner", "get_learner_tier", "check_chapter_access", "get_upgrade_url", "get_billing_portal_url"];

    private const string Subscriber = "learner_subscriber";

    [Fact]
    public async Task The_typescript_sdk_client_accepts_every_tool_result_success_and_error_against_its_output_schema()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var origin = await StartWithSubscriberAsync(s);

        var calls = await RunAsync(origin);

        foreach (var tool in Tools)
        {
            Assert.Contains(calls, c => c.Tool == tool && !c.IsError);
            Assert.Contains(calls, c => c.Tool == tool && c.IsError);
        }
        Assert.False(Single(calls, "get_upgrade_url", "free learner").IsError);
        Assert.False(Single(calls, "get_billing_portal_url", "subscriber").IsError);
        Assert.Equal("monthly", Single(calls, "get_learner_tier", "subscriber").Structured.GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Object, Single(calls, "get_learner_tier", "free learner with an open link").Structured.GetProperty("open_checkout").ValueKind);
        Assert.All(calls.Where(c => c.IsError), c => Assert.Equal(JsonValueKind.Null, c.Structured.GetProperty("operator_hint").ValueKind));
    }

    [Fact]
    public async Task Errors_only_the_operator_can_fix_carry_an_operator_hint_that_the_typescript_sdk_client_accepts()
    {
        await using var s = await StripeBackedApp.StartAsync(secretKey: "sk_test_fake_rejected_key_0000000000");
        var origin = await StartWithSubscriberAsync(s);

        var calls = await RunAsync(origin);

        foreach (var (tool, label) in new[] { ("get_upgrade_url", "free learner"), ("get_billing_portal_url", "subscriber") })
        {
            var call = Single(calls, tool, label);
            Assert.True(call.IsError);
            Assert.Equal(ToolResults.PaymentsUnavailableMessage, call.Text);
            Assert.Equal(call.Text, call.Structured.GetProperty("message").GetString());
            Assert.Contains("STRIPE_SECRET_KEY", call.Structured.GetProperty("operator_hint").GetString());
        }
    }

    /// <summary>Serves the app on loopback and puts <see cref="Subscriber"/> on the monthly plan, so
    /// Stripe knows them as a customer.</summary>
    private static async Task<Uri> StartWithSubscriberAsync(StripeBackedApp s)
    {
        var origin = s.App.StartOnLoopback();
        await s.AddLearnerAsync(Subscriber);
        using var http = new HttpClient { BaseAddress = origin };
        var now = s.App.Clock.GetUtcNow();
        using var delivered = await new WebhookSender(s.App, http).SendSignedAsync(
            Subscription("evt_fake_tool_results_01", "customer.subscription.created", now, "active", now.AddDays(30), learnerId: Subscriber));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        return origin;
    }

    private static async Task<IReadOnlyList<ToolCall>> RunAsync(Uri origin)
    {
        var run = await JsClient.RunToolResultsAsync(origin, Subscriber);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\nstdout: {run.Stdout}\nstderr: {run.Stderr}");
        using var summary = JsonDocument.Parse(run.Stdout);
        var root = summary.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        var listed = root.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(Tools.Order(), listed.Select(t => t.GetProperty("name").GetString()!).Order());
        Assert.All(listed, t => Assert.True(t.GetProperty("outputSchema").GetBoolean()));
        var calls = root.GetProperty("calls").EnumerateArray().Select(c => new ToolCall(
            c.GetProperty("tool").GetString()!,
            c.GetProperty("case").GetString()!,
            c.GetProperty("isError").GetBoolean(),
            c.GetProperty("text").GetString()!,
            c.GetProperty("structured").Clone(),
            c.GetProperty("validatedBySdk").GetBoolean())).ToList();
        Assert.All(calls, c => Assert.True(c.ValidatedBySdk, $"{c.Tool} ({c.Case}) was not validated by the SDK client"));
        return calls;
    }

    private static ToolCall Single(IReadOnlyList<ToolCall> calls, string tool, string label) =>
        Assert.Single(calls, c => c.Tool == tool && c.Case == label);

    private sealed record ToolCall(string Tool, string Case, bool IsError, string Text, JsonElement Structured, bool ValidatedBySdk);
}
