using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Webhooks;

public sealed class WebhookConfigurationTests
{
    [Fact]
    public async Task Without_a_webhook_secret_the_webhook_answers_503_and_says_why()
    {
        using var app = new TutorClawApp();
        app.Settings["STRIPE_WEBHOOK_SECRET"] = "";
        var webhook = new WebhookSender(app, app.CreateClient());

        var response = await webhook.SendEventFileAsync("checkout.session.completed.json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("STRIPE_WEBHOOK_SECRET", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_vectors_own_signed_headers_verify_at_their_time()
    {
        var file = SharedStripeData.Event("events/checkout.session.completed.json");
        using var app = new TutorClawApp();
        app.Settings["STRIPE_WEBHOOK_SECRET"] = file.Secret;
        app.Clock.Set(file.NowInstant);
        var demo = LearnerId.Parse("learner_demo");
        await app.Learners.TryCreateAsync(Learner.CreateFree(demo, "Zoë", app.Clock.GetUtcNow()), default);
        var webhook = new WebhookSender(app, app.CreateClient());

        var response = await webhook.SendAsync(file.ReadBytes(), file.Header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Tier.Paid, (await app.Learners.FindAsync(demo, default))!.Tier);
    }

    [Fact]
    public async Task A_live_mode_server_does_not_grant_access_for_a_test_mode_event()
    {
        using var app = new TutorClawApp();
        app.Settings["STRIPE_SECRET_KEY"] = "sk_live_fake_integration_tests_0001";
        var demo = LearnerId.Parse("learner_demo");
        await app.Learners.TryCreateAsync(Learner.CreateFree(demo, "Zoë", app.Clock.GetUtcNow()), default);
        var webhook = new WebhookSender(app, app.CreateClient());

        var response = await webhook.SendEventFileAsync("checkout.session.completed.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("test-mode event", await response.Content.ReadAsStringAsync());
        Assert.Equal(Tier.Free, (await app.Learners.FindAsync(demo, default))!.Tier);
    }

    [Fact]
    public async Task During_rotation_either_secret_verifies()
    {
        using var app = new TutorClawApp();
        app.Settings["STRIPE_WEBHOOK_SECRET"] = "whsec_old_secret_rotating_out_01," + TutorClawApp.WebhookSecret;
        var webhook = new WebhookSender(app, app.CreateClient());
        var body = SharedStripeData.ReadBytes("events/customer.created.json");

        var withNew = await webhook.SendSignedAsync(body);
        var withOld = await webhook.SendSignedAsync(body, "whsec_old_secret_rotating_out_01");

        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withOld.StatusCode);
    }

    [Fact]
    public async Task When_storage_fails_the_webhook_answers_500_so_stripe_retries_and_a_retry_then_applies()
    {
        using var app = new TutorClawApp();
        var failing = new FailingRepositorySwitch();
        app.ConfigureTestServices = services =>
        {
            services.RemoveAll<ILearnerRepository>();
            services.AddSingleton<ILearnerRepository>(sp => new FlakyLearnerRepository(sp.GetRequiredService<IStore>().Learners, failing));
        };
        var demo = LearnerId.Parse("learner_demo");
        await app.Learners.TryCreateAsync(Learner.CreateFree(demo, "Zoë", app.Clock.GetUtcNow()), default);
        var webhook = new WebhookSender(app, app.CreateClient());

        failing.Fail = true;
        var refused = await webhook.SendEventFileAsync("checkout.session.completed.json");
        failing.Fail = false;
        var retried = await webhook.SendEventFileAsync("checkout.session.completed.json");

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(Tier.Paid, (await app.Learners.FindAsync(demo, default))!.Tier);
    }
}
