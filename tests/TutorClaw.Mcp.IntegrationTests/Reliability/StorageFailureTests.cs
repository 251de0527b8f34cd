using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Protocol;
using Moq;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Real storage failures (root only: chattr +i and a full tmpfs; see <see cref="StorageFaults"/>):
/// webhooks answer 500 so Stripe retries, tools answer one clear sentence, the host stays up and
/// says its storage is unhealthy, and everything works again once the disk does.
/// </summary>
public sealed class StorageFailureTests
{
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");

    [Fact]
    public async Task A_read_only_learners_directory_answers_500_and_clear_tool_errors_then_recovers()
    {
        using var app = NewApp(out var stripe);
        await CreateDemoAsync(app);
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        using var http = app.CreateClient();

        await using (var immutable = await StorageFaults.MakeImmutableAsync(Path.Combine(app.DataDirectory, "learners")))
        {
            await AssertFailsLoudlyAsync(app, http, mcp, stripe);
        }

        await AssertRecoversAsync(app, http, mcp);
    }

    [Fact]
    public async Task A_full_disk_answers_500_and_clear_tool_errors_then_recovers()
    {
        await using var disk = await StorageFaults.MountTmpfsAsync(sizeBytes: 1024 * 1024);
        using var app = NewApp(out var stripe);
        app.Settings["TUTORCLAW_DATA_DIR"] = disk.Path;
        await CreateDemoAsync(app);
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);
        using var http = app.CreateClient();

        disk.Fill();
        await AssertFailsLoudlyAsync(app, http, mcp, stripe);
        disk.Free();

        await AssertRecoversAsync(app, http, mcp);
    }

    private static TutorClawApp NewApp(out Mock<IStripeApi> stripe)
    {
        var fake = new Mock<IStripeApi>();
        fake.Setup(s => s.GetPriceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => StripeResult<StripePrice>.Ok(new StripePrice(id, Recurring: false, Active: true)));
        fake.Setup(s => s.CreateCheckoutSessionAsync(It.IsAny<CheckoutSessionRequest>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CheckoutSessionRequest request, string _, CancellationToken _) => StripeResult<CheckoutSession>.Ok(new CheckoutSession(
                "cs_test_storage_fault_0001", "https://checkout.stripe.com/c/pay/cs_test_storage_fault_0001", "open", "unpaid",
                DateTimeOffset.FromUnixTimeSeconds(1_795_255_200), DateTimeOffset.FromUnixTimeSeconds(1_795_168_800),
                null, request.ClientReferenceId, request.Metadata, 1900, "usd")));
        stripe = fake;
        return new TutorClawApp
        {
            ConfigureTestServices = services =>
            {
                services.RemoveAll<IStripeApi>();
                services.AddSingleton(fake.Object);
            },
        };
    }

    private static async Task CreateDemoAsync(TutorClawApp app) =>
        Assert.True(await app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", app.Clock.GetUtcNow()), default));

    private static async Task AssertFailsLoudlyAsync(TutorClawApp app, HttpClient http, InProcessMcp mcp, Mock<IStripeApi> stripe)
    {
        var learnerFile = Path.Combine(app.Learners.Location, "learners", "learner_demo.json");
        var before = await File.ReadAllBytesAsync(learnerFile);
        var webhook = new WebhookSender(app, http);

        using var delivered = await webhook.SendEventFileAsync("checkout.session.completed.json");
        var registered = await mcp.CallAsync("register_learner", new { name = "Ada" });
        var upgrade = await mcp.CallAsync("get_upgrade_url", new { learner_id = Demo.Value });
        var tier = await mcp.CallAsync("get_learner_tier", new { learner_id = Demo.Value });
        using var health = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.InternalServerError, delivered.StatusCode);
        Assert.Contains("will be applied when Stripe retries", await delivered.Content.ReadAsStringAsync());
        AssertStorageError(registered);
        AssertStorageError(upgrade);
        // The learner's stable-link token is written before Stripe is asked (it rides in the
        // cancel_url), so a failing disk stops the tool first: no session is made that cannot be recorded.
        stripe.Verify(s => s.CreateCheckoutSessionAsync(It.IsAny<CheckoutSessionRequest>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.NotEqual(true, tier.IsError);
        Assert.Equal("free", tier.StructuredContent!.Value.GetProperty("tier").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using (var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
            Assert.False(json.RootElement.GetProperty("repository").GetProperty("writable").GetBoolean());
        }
        Assert.Equal(before, await File.ReadAllBytesAsync(learnerFile));
    }

    private static async Task AssertRecoversAsync(TutorClawApp app, HttpClient http, InProcessMcp mcp)
    {
        var webhook = new WebhookSender(app, http);

        using var health = await http.GetAsync("/health");
        using var redelivered = await webhook.SendEventFileAsync("checkout.session.completed.json");
        var registered = await mcp.CallAsync("register_learner", new { name = "Ada" });

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Contains("applied, tier free -> paid", await redelivered.Content.ReadAsStringAsync());
        Assert.Equal(Tier.Paid, (await app.Learners.FindAsync(Demo, default))!.Tier);
        Assert.NotEqual(true, registered.IsError);
    }

    private static void AssertStorageError(CallToolResult result)
    {
        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Equal(ToolResults.StorageUnavailableMessage, text);
    }
}
