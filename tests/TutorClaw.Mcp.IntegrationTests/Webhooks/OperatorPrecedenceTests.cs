using System.Net;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Webhooks;

/// <summary>README "Entitlement rules" through /webhook with Stripe's own payloads: an operator's decision stands against facts about earlier payments.</summary>
public sealed class OperatorPrecedenceTests : IDisposable
{
    private static readonly LearnerId Demo = LearnerId.Parse("learner_demo");
    private readonly TutorClawApp _app = new();
    private readonly WebhookSender _webhook;

    public OperatorPrecedenceTests()
    {
        _webhook = new WebhookSender(_app, _app.CreateClient());
        Assert.True(_app.Learners.TryCreateAsync(Learner.CreateFree(Demo, "Zoë", _app.Clock.GetUtcNow()), default).GetAwaiter().GetResult());
    }

    public void Dispose() => _app.Dispose();

    private async Task<Learner> DemoAsync() => (await _app.Learners.FindAsync(Demo, default))!;

    private async Task DeliverAsync(params string[] files)
    {
        foreach (var file in files)
        {
            Assert.Equal(HttpStatusCode.OK, (await _webhook.SendEventFileAsync(file)).StatusCode);
        }
    }

    private Task DecideAsync(OperatorAction action, string reason) =>
        _app.Learners.UpdateAsync(Demo, l => TierRules.DecideByOperator(l, action, reason, _app.Clock.GetUtcNow()), default);

    [Fact]
    public async Task A_grant_survives_a_redelivered_completed_an_expiry_and_a_refund_of_the_learners_own_payment()
    {
        await DeliverAsync("checkout.session.completed.json");
        await DecideAsync(OperatorAction.Grant, "scholarship");

        await DeliverAsync("checkout.session.completed.json", "checkout.session.expired.json", "charge.refunded.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Contains(learner.Checkouts, c => c.Status == CheckoutStatus.Refunded);
        Assert.Equal(Tier.Free, TierRules.BillingTier(learner.Checkouts));
        Assert.Equal(TierChangeCause.Grant, TierRules.Explain(learner).Cause);
    }

    [Fact]
    public async Task A_revoke_survives_a_redelivered_completed_and_a_won_dispute_of_the_earlier_payment()
    {
        await DeliverAsync("checkout.session.completed.json");
        await DecideAsync(OperatorAction.Revoke, "shared account");

        await DeliverAsync("checkout.session.completed.json", "charge.dispute.created.json", "charge.dispute.closed.won.json");

        Assert.Equal(Tier.Free, (await DemoAsync()).Tier);
    }

    [Fact]
    public async Task A_hand_edit_to_free_stands_against_a_redelivered_completed()
    {
        await DeliverAsync("checkout.session.completed.json");
        var path = Path.Combine(_app.DataDirectory, "learners", "learner_demo.json");
        var json = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, json.Replace("\"tier\": \"paid\"", "\"tier\": \"free\"", StringComparison.Ordinal));

        await DeliverAsync("checkout.session.expired.json");

        var learner = await DemoAsync();
        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(OperatorAction.HandEdit, Assert.Single(learner.OperatorFacts).Action);
    }
}
