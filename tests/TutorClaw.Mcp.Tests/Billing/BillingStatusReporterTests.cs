using TutorClaw.Mcp.TestSupport;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>get_learner_tier's words: each billing situation gets a sentence an agent can relay, with the ids behind it.</summary>
public sealed class BillingStatusReporterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T10:00:00Z");
    private static readonly DateTimeOffset Yesterday = Now.AddDays(-1);

    private static BillingStatus Describe(params CheckoutRecord[] checkouts)
    {
        var learner = Learner.CreateFree(LearnerId.Parse("learner_demo"), "Zoë", Now.AddDays(-10)) with
        {
            Checkouts = checkouts,
            Tier = TierRules.BillingTier(checkouts),
            TierChangedAt = Yesterday,
        };
        return new BillingStatusReporter(Options.Create(new ServerOptions { FreeChapters = 5 }), new ManualClock(Now)).Describe(learner);
    }

    private static CheckoutRecord Checkout(CheckoutFacts facts, string? url = null, DateTimeOffset? expires = null) => new()
    {
        SessionId = "cs_test_1",
        PaymentIntentId = "pi_1",
        Url = url,
        ExpiresAt = expires,
        CreatedAt = Yesterday,
        UpdatedAt = Yesterday,
        Facts = facts,
    };

    [Fact]
    public void A_new_learner_is_free_with_the_free_chapters_named()
    {
        var status = Describe();

        Assert.Equal(Tier.Free, status.Tier);
        Assert.Null(status.LastPayment);
        Assert.Equal("On the free tier: chapters 1 to 5 are open.", status.Summary);
    }

    [Fact]
    public void A_paid_learner_is_told_since_when()
    {
        var status = Describe(Checkout(new CheckoutFacts { PaidAt = Yesterday }));

        Assert.Equal(Tier.Paid, status.Tier);
        Assert.StartsWith("On the paid tier since 2026-11-21", status.Summary);
        Assert.Equal("pi_1", status.LastPayment!.PaymentIntentId);
    }

    [Fact]
    public void An_open_link_is_shown_with_its_expiry()
    {
        var status = Describe(Checkout(new CheckoutFacts(), "https://checkout.stripe.com/c/pay/cs_test_1", Now.AddHours(20)));

        Assert.Equal("https://checkout.stripe.com/c/pay/cs_test_1", status.OpenCheckout!.Url);
        Assert.Contains("A payment link is open until 2026-11-23 06:00 UTC.", status.Summary);
    }

    [Fact]
    public void A_link_about_to_expire_is_not_offered()
    {
        var status = Describe(Checkout(new CheckoutFacts(), "https://checkout.stripe.com/c/pay/cs_test_1", Now.AddMinutes(2)));

        Assert.Null(status.OpenCheckout);
    }

    [Fact]
    public void A_pending_payment_is_explained()
    {
        var status = Describe(Checkout(new CheckoutFacts { PendingAt = Yesterday }));

        Assert.Equal(CheckoutStatus.Pending, status.LastPayment!.Status);
        Assert.Contains("has not settled yet", status.Summary);
    }

    [Fact]
    public void A_failed_payment_is_explained()
    {
        var status = Describe(Checkout(new CheckoutFacts { PendingAt = Yesterday, FailedAt = Yesterday }));

        Assert.Contains("failed", status.Summary);
    }

    [Fact]
    public void A_refund_is_explained()
    {
        var status = Describe(Checkout(new CheckoutFacts { PaidAt = Yesterday, RefundedAt = Yesterday }));

        Assert.Equal(Tier.Free, status.Tier);
        Assert.Contains("refunded on 2026-11-21", status.Summary);
    }

    [Fact]
    public void An_open_dispute_is_explained_with_its_id()
    {
        var status = Describe(Checkout(new CheckoutFacts { PaidAt = Yesterday, Dispute = new DisputeFact("dp_1", "needs_response", Yesterday, Yesterday) }));

        Assert.Equal("dp_1", status.LastPayment!.DisputeId);
        Assert.Contains("suspended until the dispute is resolved", status.Summary);
    }

    [Fact]
    public void A_lost_dispute_is_explained()
    {
        var status = Describe(Checkout(new CheckoutFacts { PaidAt = Yesterday, Dispute = new DisputeFact("dp_1", "lost", Yesterday, Now) }));

        Assert.Contains("dispute was lost", status.Summary);
    }

    [Theory]
    [InlineData(0, "no chapters are free")]
    [InlineData(1, "chapter 1 is open")]
    [InlineData(5, "chapters 1 to 5 are open")]
    public void The_free_chapter_count_is_worded_for_every_count(int count, string expected)
    {
        Assert.Equal(expected, ChapterAccess.FreeChapters(count));
    }
}
