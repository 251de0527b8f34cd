using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>The event state machine: every order of delivery ends in the same, right place.</summary>
public sealed class EntitlementRulesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_795_168_800);
    private static readonly LearnerId Id = LearnerId.Parse("learner_demo");
    private const string Session = "cs_test_A";
    private const string Intent = "pi_A";

    private static Learner Fresh() => Learner.CreateFree(Id, "Zoë", T0);

    private static SessionSnapshot Snapshot(string session = Session, string? intent = Intent) =>
        new(session, Id.Value, intent, 1900, "usd", T0.AddHours(24));

    private static CheckoutCompleted Completed(string id = "evt_completed", int minutes = 1, bool paid = true, string session = Session, string? intent = Intent) =>
        new(id, "checkout.session.completed", T0.AddMinutes(minutes), Snapshot(session, intent), paid);

    private static ChargeRefunded Refunded(string id = "evt_refunded", int minutes = 60, bool full = true) =>
        new(id, "charge.refunded", T0.AddMinutes(minutes), "ch_A", Intent, Id.Value, full, full ? 1900 : 500);

    private static DisputeCreated DisputeOpened(int minutes = 30) =>
        new("evt_dispute_created", "charge.dispute.created", T0.AddMinutes(minutes), "dp_A", "ch_A", Intent, null, "needs_response");

    private static DisputeClosed DisputeClosed(string status, int minutes = 90) =>
        new("evt_dispute_closed_" + status, "charge.dispute.closed", T0.AddMinutes(minutes), "dp_A", "ch_A", Intent, null, status);

    private static Learner ApplyAll(params PaymentEvent[] events) =>
        events.Aggregate(Fresh(), (learner, e) => EntitlementRules.Apply(learner, e, T0.AddDays(1)));

    [Fact]
    public void Completed_and_paid_makes_the_learner_paid()
    {
        var learner = ApplyAll(Completed());

        Assert.Equal(Tier.Paid, learner.Tier);
        var checkout = Assert.Single(learner.Checkouts);
        Assert.Equal(CheckoutStatus.Paid, checkout.Status);
        Assert.Equal(Intent, checkout.PaymentIntentId);
        Assert.Equal(T0.AddDays(1), learner.TierChangedAt);
    }

    [Fact]
    public void Completed_but_unpaid_is_pending_and_the_learner_stays_free()
    {
        var learner = ApplyAll(Completed(paid: false));

        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Pending, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public void Async_success_after_pending_makes_the_learner_paid()
    {
        var learner = ApplyAll(
            Completed(paid: false),
            new AsyncPaymentSucceeded("evt_async_ok", "checkout.session.async_payment_succeeded", T0.AddDays(2), Snapshot()));

        Assert.Equal(Tier.Paid, learner.Tier);
    }

    [Fact]
    public void Async_failure_marks_the_checkout_failed_and_keeps_the_learner_free()
    {
        var learner = ApplyAll(
            Completed(paid: false),
            new AsyncPaymentFailed("evt_async_failed", "checkout.session.async_payment_failed", T0.AddDays(2), Snapshot()));

        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Failed, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public void Expired_marks_the_checkout_expired()
    {
        var learner = ApplyAll(new CheckoutExpired("evt_expired", "checkout.session.expired", T0.AddDays(1), Snapshot(intent: null)));

        Assert.Equal(CheckoutStatus.Expired, Assert.Single(learner.Checkouts).Status);
        Assert.Equal(Tier.Free, learner.Tier);
    }

    [Fact]
    public void A_full_refund_ends_the_paid_tier()
    {
        var learner = ApplyAll(Completed(), Refunded());

        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Refunded, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public void A_partial_refund_keeps_the_paid_tier_and_records_the_amount()
    {
        var learner = ApplyAll(Completed(), Refunded(full: false));

        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Equal(500, Assert.Single(learner.Checkouts).AmountRefunded);
    }

    [Fact]
    public void A_redelivered_completed_after_a_refund_does_not_upgrade_again()
    {
        var refunded = ApplyAll(Completed(), Refunded());

        var redelivered = EntitlementRules.Apply(refunded, Completed(), T0.AddDays(3));
        var resent = EntitlementRules.Apply(refunded, Completed(id: "evt_completed_resent_as_new"), T0.AddDays(3));

        Assert.Same(refunded, redelivered);
        Assert.Equal(Tier.Free, resent.Tier);
    }

    [Fact]
    public void A_refund_that_arrives_before_completed_still_wins()
    {
        var learner = ApplyAll(Refunded(), Completed());

        Assert.Equal(Tier.Free, learner.Tier);
        var checkout = Assert.Single(learner.Checkouts);
        Assert.Equal(CheckoutStatus.Refunded, checkout.Status);
        Assert.Equal(Session, checkout.SessionId);
    }

    [Fact]
    public void A_dispute_suspends_and_a_won_dispute_restores_the_paid_tier()
    {
        var disputed = ApplyAll(Completed(), DisputeOpened());
        var won = EntitlementRules.Apply(disputed, DisputeClosed("won"), T0.AddDays(2));

        Assert.Equal(Tier.Free, disputed.Tier);
        Assert.Equal(CheckoutStatus.Disputed, Assert.Single(disputed.Checkouts).Status);
        Assert.Equal(Tier.Paid, won.Tier);
    }

    [Fact]
    public void A_lost_dispute_keeps_the_paid_tier_revoked()
    {
        var learner = ApplyAll(Completed(), DisputeOpened(), DisputeClosed("lost"));

        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal("lost", Assert.Single(learner.Checkouts).Facts.Dispute!.Status);
    }

    [Fact]
    public void A_won_dispute_does_not_restore_a_refunded_payment()
    {
        var learner = ApplyAll(Completed(), DisputeOpened(), Refunded(minutes: 60), DisputeClosed("won"));

        Assert.Equal(Tier.Free, learner.Tier);
        Assert.Equal(CheckoutStatus.Refunded, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public void A_late_dispute_created_does_not_reopen_a_dispute_that_was_won()
    {
        var learner = ApplyAll(Completed(), DisputeClosed("won"), DisputeOpened());

        Assert.Equal(Tier.Paid, learner.Tier);
    }

    [Fact]
    public void An_older_expired_event_does_not_regress_a_paid_checkout()
    {
        var learner = ApplyAll(Completed(), new CheckoutExpired("evt_expired", "checkout.session.expired", T0, Snapshot()));

        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Equal(CheckoutStatus.Paid, Assert.Single(learner.Checkouts).Status);
    }

    [Fact]
    public void Every_order_of_the_same_events_gives_the_same_outcome()
    {
        PaymentEvent[] events = [Completed(), DisputeOpened(), Refunded(), DisputeClosed("won")];
        var outcomes = Permutations(events)
            .Select(order => ApplyAll(order))
            .Select(l => (l.Tier, Assert.Single(l.Checkouts).Status))
            .Distinct()
            .ToList();

        Assert.Equal([(Tier.Free, CheckoutStatus.Refunded)], outcomes);
    }

    [Fact]
    public void The_same_event_id_twice_returns_the_learner_unchanged()
    {
        var once = ApplyAll(Completed());

        var twice = EntitlementRules.Apply(once, Completed(), T0.AddDays(5));

        Assert.Same(once, twice);
        Assert.Equal(["evt_completed"], once.AppliedEventIds);
    }

    [Fact]
    public void A_fact_from_the_success_page_is_not_recorded_twice()
    {
        var fromPage = new CheckoutCompleted(null, "checkout.session.completed", T0.AddMinutes(2), Snapshot(), true);
        var once = ApplyAll(fromPage);

        var again = EntitlementRules.Apply(once, fromPage with { Created = T0.AddMinutes(3) }, T0.AddDays(2));

        Assert.Same(once, again);
        Assert.Empty(once.AppliedEventIds);
    }

    [Fact]
    public void An_opened_checkout_is_recorded_once()
    {
        var opened = new CheckoutRecord { SessionId = Session, Url = "https://checkout.stripe.com/c/pay/x", ExpiresAt = T0.AddHours(24), CreatedAt = T0, UpdatedAt = T0 };

        var once = EntitlementRules.RecordOpenedCheckout(Fresh(), opened);
        var twice = EntitlementRules.RecordOpenedCheckout(once, opened);

        Assert.Same(once, twice);
        Assert.Equal(CheckoutStatus.Open, Assert.Single(once.Checkouts).Status);
    }

    private static IEnumerable<PaymentEvent[]> Permutations(PaymentEvent[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (PaymentEvent[])[item, .. rest]));
}
