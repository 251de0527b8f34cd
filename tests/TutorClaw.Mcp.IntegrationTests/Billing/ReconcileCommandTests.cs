using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Billing;

/// <summary>`reconcile` as an operator runs it: the built server as a one-off command against a (fake) Stripe.</summary>
public sealed class ReconcileCommandTests
{
    private static Task<ProcessRun> RunAsync(BuiltServer server, FakeStripeServer stripe, params string[] arguments) =>
        ProcessRun.RunAsync(
            BuiltServer.DotnetHost,
            [BuiltServer.ServerDll, .. arguments],
            server.WorkingDirectory,
            server.Environment(
                ("STRIPE_SECRET_KEY", TutorClawApp.SecretKey),
                ("STRIPE_PRICE_ID_PAID", TutorClawApp.PriceId),
                ("STRIPE_API_BASE", stripe.BaseUrl.ToString())),
            BuiltServer.Patience);

    [Fact]
    public async Task Reconcile_prints_a_line_per_page_and_a_summary_and_applies_missed_events()
    {
        using var server = new BuiltServer();
        await using var stripe = await FakeStripeServer.StartAsync(TutorClawApp.SecretKey, TutorClawApp.PriceId);
        using (var repository = new FileLearnerRepository(server.DataDirectory, TimeProvider.System))
        {
            await repository.TryCreateAsync(Learner.CreateFree(LearnerId.Parse("learner_demo"), "Zoë", DateTimeOffset.UtcNow), default);
        }
        stripe.AddEvent(StripeEvents.Completed("evt_cli_missed", "learner_demo", DateTimeOffset.UtcNow.AddDays(-1)));
        stripe.AddEvent(StripeEvents.Completed("evt_cli_stranger", "learner_unknown", DateTimeOffset.UtcNow.AddDays(-2)));

        var run = await RunAsync(server, stripe, "reconcile");
        var unmatched = await RunAsync(server, stripe, "reconcile", "--unmatched");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("page 1: seen 2, applied 1, already applied 0, unmatched 1", run.Stdout);
        Assert.Contains("reconcile: seen 2, applied 1, already applied 0, unmatched 1", run.Stdout);
        using (var repository = new FileLearnerRepository(server.DataDirectory, TimeProvider.System))
        {
            Assert.Equal(Tier.Paid, (await repository.FindAsync(LearnerId.Parse("learner_demo"), default))!.Tier);
        }
        Assert.Equal(0, unmatched.ExitCode);
        Assert.Contains("1 unmatched payment event(s)", unmatched.Stdout);
        Assert.Contains("evt_cli_stranger", unmatched.Stdout);
        Assert.Contains("learner=learner_unknown", unmatched.Stdout);
    }

    [Fact]
    public async Task A_malformed_since_is_a_usage_error()
    {
        using var server = new BuiltServer();
        await using var stripe = await FakeStripeServer.StartAsync(TutorClawApp.SecretKey, TutorClawApp.PriceId);

        var run = await RunAsync(server, stripe, "reconcile", "--since", "soon");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--since", run.Stderr);
        Assert.Empty(stripe.Requests);
    }
}
