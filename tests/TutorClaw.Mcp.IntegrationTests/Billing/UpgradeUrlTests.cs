using TutorClaw.Mcp.TestSupport;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>get_upgrade_url through a real MCP client, the real Stripe client and a fake Stripe that checks what it receives.</summary>
public sealed class UpgradeUrlTests
{
    private static async Task<CallToolResult> UpgradeAsync(StripeBackedApp s, string learnerId = "learner_demo")
    {
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        return await mcp.CallAsync("get_upgrade_url", new { learner_id = learnerId });
    }

    /// <summary>The stable link's token is issued before Stripe is asked (it rides in the cancel_url),
    /// and survives a failed call; what a failure must leave untouched is everything else.</summary>
    private static Task IssueLinkAsync(StripeBackedApp s, LearnerId id) =>
        s.App.Services.GetRequiredService<TutorClaw.Mcp.Billing.UpgradeLinks>().EnsureAsync(id, default);

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private const string LearnerSafe = "Payments are not available right now; please try again later.";

    private static string OperatorHint(CallToolResult result) =>
        result.StructuredContent!.Value.GetProperty("operator_hint").GetString()!;

    private static IReadOnlyList<RecordedRequest> Creates(FakeStripeServer stripe) =>
        stripe.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions").ToList();

    [Fact]
    public async Task Creates_a_checkout_session_with_exactly_the_fields_and_headers_stripe_expects()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        var json = result.StructuredContent!.Value;
        var request = Assert.Single(Creates(s.Stripe));
        // Stripe.net writes the fields in its own order (stripe-node's differs); the set is what Stripe reads.
        var learner = (await s.App.Learners.FindAsync(LearnerId.Parse("learner_demo"), default))!;
        // The documented capture, except that the cancel page is told the learner's link token.
        Assert.Equal(
            CheckoutCapture.DecodedFields(TutorClawApp.PriceId)
                .Select(f => f.Key == "cancel_url" ? new KeyValuePair<string, string>(f.Key, f.Value + "?link=" + learner.UpgradeToken) : f)
                .OrderBy(f => f.Key, StringComparer.Ordinal),
            request.Form.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal("Bearer " + TutorClawApp.SecretKey, request.Header("Authorization"));
        Assert.Equal("2026-10-28.endive", request.Header("Stripe-Version"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.StartsWith("tutorclaw-checkout-learner_demo-1-", request.Header("Idempotency-Key"));
        Assert.StartsWith("https://checkout.stripe.com/", json.GetProperty("checkout_url").GetString());
        Assert.Equal("http://localhost:8000/pay/" + learner.UpgradeToken, json.GetProperty("url").GetString());
        var sessionId = json.GetProperty("session_id").GetString()!;
        Assert.Equal(s.App.Clock.GetUtcNow().AddHours(24), json.GetProperty("expires_at").GetDateTimeOffset());

        learner = (await s.App.Learners.FindAsync(LearnerId.Parse("learner_demo"), default))!;
        var recorded = Assert.Single(learner.Checkouts);
        Assert.Equal(sessionId, recorded.SessionId);
        Assert.Equal(CheckoutStatus.Open, recorded.Status);
        Assert.Equal(s.App.Clock.GetUtcNow().AddHours(24), recorded.ExpiresAt);
    }

    [Fact]
    public async Task An_open_session_is_returned_again_instead_of_creating_another()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();

        var first = await UpgradeAsync(s);
        s.App.Clock.Advance(TimeSpan.FromHours(2));
        var second = await UpgradeAsync(s);

        Assert.Equal(first.StructuredContent!.Value.GetProperty("session_id").GetString(), second.StructuredContent!.Value.GetProperty("session_id").GetString());
        Assert.True(second.StructuredContent!.Value.GetProperty("reused").GetBoolean());
        Assert.Single(Creates(s.Stripe));
    }

    [Fact]
    public async Task A_new_session_is_created_once_the_old_one_has_expired()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();

        var first = await UpgradeAsync(s);
        s.App.Clock.Advance(TimeSpan.FromHours(24));
        var second = await UpgradeAsync(s);

        Assert.NotEqual(first.StructuredContent!.Value.GetProperty("session_id").GetString(), second.StructuredContent!.Value.GetProperty("session_id").GetString());
        var creates = Creates(s.Stripe);
        Assert.Equal(2, creates.Count);
        Assert.NotEqual(creates[0].Header("Idempotency-Key"), creates[1].Header("Idempotency-Key"));
        Assert.StartsWith("tutorclaw-checkout-learner_demo-2-", creates[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_learner_end_with_one_session()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => mcp.CallAsync("get_upgrade_url", new { learner_id = "learner_demo" })));

        Assert.Single(results.Select(r => r.StructuredContent!.Value.GetProperty("session_id").GetString()).Distinct());
        Assert.Single(s.Stripe.Sessions);
        Assert.Single((await s.App.Learners.FindAsync(LearnerId.Parse("learner_demo"), default))!.Checkouts);
    }

    [Fact]
    public async Task A_paid_learner_is_refused_without_asking_stripe()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await s.App.Learners.UpdateAsync(id, l => l with
        {
            Tier = Tier.Paid,
            Checkouts = [new CheckoutRecord { SessionId = "cs_test_old", Facts = new CheckoutFacts { PaidAt = s.App.Clock.GetUtcNow() } }],
        }, default);

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Contains("already on the paid tier", Text(result));
        // The startup price lookup aside, Stripe is not asked.
        Assert.DoesNotContain(s.Stripe.Requests, r => !r.IsPriceLookup);
    }

    [Fact]
    public async Task An_unknown_learner_is_refused_without_asking_stripe()
    {
        await using var s = await StripeBackedApp.StartAsync();

        var result = await UpgradeAsync(s, "nobody_here");

        Assert.True(result.IsError);
        Assert.Contains("register_learner", Text(result));
        // The startup price lookup aside, Stripe is not asked.
        Assert.DoesNotContain(s.Stripe.Requests, r => !r.IsPriceLookup);
    }

    [Fact]
    public async Task A_hostile_learner_id_is_refused_before_anything_else()
    {
        await using var s = await StripeBackedApp.StartAsync();

        var result = await UpgradeAsync(s, "../../etc/passwd");

        Assert.True(result.IsError);
        Assert.Contains("not a valid learner_id", Text(result));
        // The startup price lookup aside, Stripe is not asked.
        Assert.DoesNotContain(s.Stripe.Requests, r => !r.IsPriceLookup);
    }

    [Fact]
    public async Task Without_stripe_settings_the_learner_hears_payments_are_unavailable_and_the_operator_which_variables_to_set()
    {
        var logs = new RecordingLoggerProvider();
        await using var s = await StripeBackedApp.StartAsync(configure: app =>
        {
            app.Settings["STRIPE_SECRET_KEY"] = "";
            app.Settings["STRIPE_PRICE_ID_PAID"] = "";
            var configured = app.ConfigureTestServices;
            app.ConfigureTestServices = services =>
            {
                configured?.Invoke(services);
                services.AddSingleton<ILoggerProvider>(logs);
            };
        });
        await s.AddLearnerAsync();

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Equal(LearnerSafe, Text(result));
        Assert.Equal(LearnerSafe, result.StructuredContent!.Value.GetProperty("message").GetString());
        Assert.Contains("STRIPE_SECRET_KEY", OperatorHint(result));
        Assert.Contains("STRIPE_PRICE_ID_PAID", OperatorHint(result));
        Assert.Contains(logs.Records, r => r.StartsWith("Warning ", StringComparison.Ordinal)
            && r.Contains("set STRIPE_SECRET_KEY and STRIPE_PRICE_ID_PAID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_key_is_a_clear_error_that_leaves_the_learner_untouched()
    {
        await using var s = await StripeBackedApp.StartAsync(secretKey: "sk_test_fake_wrong_key_000000000000");
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Equal(LearnerSafe, Text(result));
        Assert.Contains("STRIPE_SECRET_KEY", OperatorHint(result));
        Assert.DoesNotContain("sk_test_fake_wrong_key", OperatorHint(result));
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task An_unknown_price_is_a_clear_error_that_leaves_the_learner_untouched()
    {
        await using var s = await StripeBackedApp.StartAsync(configure: app => app.Settings["STRIPE_PRICE_ID_PAID"] = "price_fake_does_not_exist");
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Equal(LearnerSafe, Text(result));
        Assert.Contains("No such price", OperatorHint(result));
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task Rate_limiting_is_not_retried_unless_stripe_says_so_and_tells_the_learner_to_try_again()
    {
        // Stripe.net retries a 429 only on Stripe-Should-Retry: true; our own policy retried every 429.
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);
        s.Stripe.EnqueueResponse(429, FakeStripeServer.ErrorJson("invalid_request_error", "Too many requests", "rate_limit"));

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Single(Creates(s.Stripe));
        Assert.StartsWith("Stripe is rate-limiting requests (HTTP 429, 1 attempt); try again in a little while.", Text(result));
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task Rate_limiting_with_should_retry_then_success_is_retried_with_the_same_idempotency_key()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        s.Stripe.EnqueueResponse(429, FakeStripeServer.ErrorJson("invalid_request_error", "Too many requests", "rate_limit"),
            new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" });

        var result = await UpgradeAsync(s);

        Assert.NotEqual(true, result.IsError);
        var creates = Creates(s.Stripe);
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].Header("Idempotency-Key"), creates[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Three_server_errors_give_up_with_a_clear_error_and_leave_the_learner_untouched()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);
        for (var i = 0; i < 3; i++)
        {
            s.Stripe.EnqueueResponse(500, FakeStripeServer.ErrorJson("api_error", "Something went wrong on Stripe's end."));
        }

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Equal(3, Creates(s.Stripe).Count);
        Assert.Contains("unchanged", Text(result));
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task A_hanging_stripe_times_out_with_a_clear_error_and_leaves_the_learner_untouched()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);
        s.Stripe.Hang = true;

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.Contains("did not answer", Text(result));
        Assert.Equal(before, s.DocumentBytes(id));
    }

    [Fact]
    public async Task Unreachable_stripe_logs_one_line_for_the_failed_call_and_no_framework_http_chatter()
    {
        // Registered without RecordingLoggerProvider.AddTo's Trace rule, so it sees what the console sees.
        var logs = new RecordingLoggerProvider();
        await using var s = await StripeBackedApp.StartAsync(configure: app =>
        {
            app.Settings["STRIPE_API_BASE"] = "http://127.0.0.1:9"; // the discard port: nothing listens
            var configured = app.ConfigureTestServices;
            app.ConfigureTestServices = services =>
            {
                configured?.Invoke(services);
                services.AddSingleton<ILoggerProvider>(logs);
            };
        });
        var id = await s.AddLearnerAsync();
        await IssueLinkAsync(s, id);
        var before = s.DocumentBytes(id);

        var result = await UpgradeAsync(s);

        Assert.True(result.IsError);
        Assert.StartsWith("Could not reach Stripe (3 attempts)", Text(result));
        Assert.Equal(before, s.DocumentBytes(id));
        Assert.DoesNotContain(logs.Records, r => r.Contains(" System.Net.Http.HttpClient.", StringComparison.Ordinal)
            && !r.StartsWith("Warning ", StringComparison.Ordinal) && !r.StartsWith("Error ", StringComparison.Ordinal));
        // One line per failed call: Stripe could not be asked about the price (at startup, in the
        // background, and again by the tool if that lookup had finished), so no session was asked for.
        var failed = logs.Records.Where(r => r.Contains("Stripe call failed", StringComparison.Ordinal)).ToList();
        Assert.InRange(failed.Count, 1, 2);
        Assert.All(failed, line => Assert.Contains("retrieve price: Unreachable", line, StringComparison.Ordinal));
        Assert.DoesNotContain(TutorClawApp.SecretKey, string.Join("\n", logs.Records), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_learner_tier_shows_the_open_checkout_link()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        var link = await UpgradeAsync(s);
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        var tier = await mcp.CallAsync("get_learner_tier", new { learner_id = "learner_demo" });

        var open = tier.StructuredContent!.Value.GetProperty("open_checkout");
        Assert.Equal(JsonValueKind.Object, open.ValueKind);
        Assert.Equal(link.StructuredContent!.Value.GetProperty("checkout_url").GetString(), open.GetProperty("url").GetString());
        Assert.Contains("payment link is open", tier.StructuredContent!.Value.GetProperty("summary").GetString());
    }
}
