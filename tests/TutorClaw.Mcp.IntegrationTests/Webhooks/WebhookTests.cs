using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Webhooks;

/// <summary>POST /webhook end to end through the real pipeline with Stripe's own event payloads.</summary>
public sealed class WebhookTests : IDisposable
{
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");
    private readonly TutorClawApp _app = new();
    private readonly WebhookSender _webhook;

    public WebhookTests()
    {
        _webhook = new WebhookSender(_app, _app.CreateClient());
        Assert.True(_app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", _app.Clock.GetUtcNow()), default).GetAwaiter().GetResult());
    }

    public void Dispose() => _app.Dispose();

    private async Task<Learner> DemoAsync() => (await _app.Learners.FindAsync(Demo, default))!;

    private byte[] DemoBytes() => File.ReadAllBytes(Path.Combine(_app.DataDirectory, "learners", "learner_demo.json"));

    private async Task DeliverAsync(params string[] files)
    {
        foreach (var file in files)
        {
            var response = await _webhook.SendEventFileAsync(file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Completed_and_paid_makes_the_learner_paid_on_disk()
    {
        await DeliverAsync("checkout.session.completed.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Contains("\"tier\": \"paid\"", Encoding.UTF8.GetString(DemoBytes()));
        Assert.Equal(CheckoutStatus.Paid, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public async Task Completed_but_unpaid_is_pending_and_keeps_the_learner_free()
    {
        await DeliverAsync("checkout.session.completed.unpaid.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Pending, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public async Task Async_payment_succeeded_makes_the_learner_paid()
    {
        await DeliverAsync("checkout.session.completed.unpaid.json", "checkout.session.async_payment_succeeded.json");

        Assert.Equal(Tier.Paid, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task Async_payment_failed_marks_the_session_failed()
    {
        await DeliverAsync("checkout.session.async_payment_failed.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Failed, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public async Task Expired_marks_the_session_expired()
    {
        await DeliverAsync("checkout.session.expired.json");

        Assert.Equal(CheckoutStatus.Expired, Assert.Single((await DemoAsync()).Checkouts).Status);
    }

    [Fact]
    public async Task A_full_refund_returns_the_learner_to_free()
    {
        await DeliverAsync("checkout.session.completed.json", "charge.refunded.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Refunded, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public async Task Completed_refunded_then_completed_redelivered_stays_free()
    {
        await DeliverAsync("checkout.session.completed.json", "charge.refunded.json", "checkout.session.completed.json");

        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_refund_arriving_before_completed_still_wins()
    {
        await DeliverAsync("charge.refunded.json", "checkout.session.completed.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        var checkout = Assert.Single(learner.Checkouts);
        Assert.Equal(CheckoutStatus.Refunded, checkout.Status);
        Assert.StartsWith("cs_test_", checkout.SessionId);
    }

    [Fact]
    public async Task A_payment_intent_binding_that_failed_to_store_is_written_when_stripe_redelivers()
    {
        // The binding and the learner's update are written side by side. Make the binding fail
        // (its directory is a file) while the learner's update succeeds.
        var bindings = Path.Combine(_app.DataDirectory, "payment-intents");
        Directory.Delete(bindings, recursive: true);
        await File.WriteAllTextAsync(bindings, "not a directory");

        var failed = await _webhook.SendEventFileAsync("checkout.session.completed.json");
        File.Delete(bindings);
        Directory.CreateDirectory(bindings);
        await DeliverAsync("checkout.session.completed.json", "charge.dispute.created.json");

        // Not acknowledged, so Stripe redelivered; the dispute (which names no learner) found the
        // learner through the binding written on redelivery.
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(CheckoutStatus.Disputed, Assert.Single((await DemoAsync()).Checkouts).Status);
    }

    [Fact]
    public async Task A_dispute_suspends_and_winning_it_restores_the_paid_tier()
    {
        await DeliverAsync("checkout.session.completed.json", "charge.dispute.created.json");
        var disputed = await DemoAsync();

        await DeliverAsync("charge.dispute.closed.won.json");

        Assert.Equal(Tier.Free, disputed.Tier);
        Assert.Equal(CheckoutStatus.Disputed, Assert.Single(disputed.Checkouts).Status);
        Assert.Equal(Tier.Paid, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_lost_dispute_keeps_the_paid_tier_revoked()
    {
        await DeliverAsync("checkout.session.completed.json", "charge.dispute.created.json", "charge.dispute.closed.lost.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Disputed, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public async Task An_unrelated_event_type_is_acknowledged_and_changes_nothing()
    {
        var before = DemoBytes();

        await DeliverAsync("customer.created.json");

        Assert.Equal(before, DemoBytes());
    }

    [Fact]
    public async Task The_same_event_twice_has_one_effect()
    {
        await DeliverAsync("checkout.session.completed.json");
        var afterFirst = DemoBytes();

        var second = await _webhook.SendEventFileAsync("checkout.session.completed.json");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("already applied", await second.Content.ReadAsStringAsync());
        Assert.Equal(afterFirst, DemoBytes());
    }

    [Fact]
    public async Task Sixteen_concurrent_deliveries_of_one_event_apply_it_once()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _webhook.SendEventFileAsync("checkout.session.completed.json")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var details = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(details, d => d.Contains("applied, tier free -> paid"));
        Assert.Equal(15, details.Count(d => d.Contains("already applied")));
        var learner = await DemoAsync();
        Assert.Equal(["evt_1TcLw01demoQ82TofIaOlkUp"], learner.AppliedEventIds);
    }

    [Fact]
    public async Task An_event_in_another_api_version_with_unknown_fields_is_applied()
    {
        var node = JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!;
        node["api_version"] = "2019-02-19";
        node["some_future_field"] = new JsonObject { ["nested"] = new JsonArray(1, 2, 3) };
        node["data"]!["object"]!["brand_new_field"] = "surprise";

        var response = await _webhook.SendSignedAsync(node.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Tier.Paid, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task An_event_for_an_unknown_learner_is_acknowledged_and_kept_as_unmatched()
    {
        var node = JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!;
        node["data"]!["object"]!["metadata"]!["learner_id"] = "nobody_here";
        node["data"]!["object"]!["client_reference_id"] = "nobody_here";

        var response = await _webhook.SendSignedAsync(node.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var unmatched = Assert.Single(Directory.GetFiles(Path.Combine(_app.DataDirectory, "unmatched")));
        Assert.EndsWith("evt_1TcLw01demoQ82TofIaOlkUp.json", unmatched);
        var text = File.ReadAllText(unmatched);
        Assert.Contains("nobody_here", text);
        Assert.DoesNotContain("Zoë", text);
        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_tampered_body_is_refused_and_changes_nothing()
    {
        var body = SharedStripeData.ReadBytes("events/checkout.session.completed.json");
        var header = StripeSignatureHeader.Sign(TutorClawApp.WebhookSecret, _app.Clock.GetUtcNow().ToUnixTimeSeconds(), body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"unpaid\"", "\"paid\"").Replace("learner_demo", "learner_demX"));
        var before = DemoBytes();

        var response = await _webhook.SendAsync(tampered, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, DemoBytes());
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused()
    {
        var body = SharedStripeData.ReadBytes("events/checkout.session.completed.json");
        var header = StripeSignatureHeader.Sign(TutorClawApp.WebhookSecret, _app.Clock.GetUtcNow().AddSeconds(-301).ToUnixTimeSeconds(), body);

        var response = await _webhook.SendAsync(body, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_missing_signature_header_is_refused()
    {
        var response = await _webhook.SendAsync(SharedStripeData.ReadBytes("events/checkout.session.completed.json"), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task An_empty_body_is_refused()
    {
        var response = await _webhook.SendAsync([], StripeSignatureHeader.Sign(TutorClawApp.WebhookSecret, _app.Clock.GetUtcNow().ToUnixTimeSeconds(), []));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_two_mebibyte_body_is_refused_unread()
    {
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)' ');

        var response = await _webhook.SendSignedAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_non_json_body_with_a_valid_signature_is_a_bad_request()
    {
        var response = await _webhook.SendSignedAsync("this is not json {");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a Stripe event", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_signed_with_another_secret_is_refused()
    {
        var response = await _webhook.SendSignedAsync(SharedStripeData.ReadBytes("events/checkout.session.completed.json"), "whsec_someone_elses_secret_000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_tier_change_by_webhook_is_seen_at_once_over_mcp()
    {
        await using var mcp = await InProcessMcp.ConnectAsync(_app.Services);
        var before = await mcp.CallAsync("get_learner_tier", new { learner_id = "learner_demo" });

        await DeliverAsync("checkout.session.completed.json");
        var after = await mcp.CallAsync("get_learner_tier", new { learner_id = "learner_demo" });

        Assert.Equal("free", before.StructuredContent!.Value.GetProperty("tier").GetString());
        Assert.Equal("paid", after.StructuredContent!.Value.GetProperty("tier").GetString());
    }
}
