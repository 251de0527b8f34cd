using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tests.Learners;

/// <summary>
/// How Stripe facts and operator decisions combine (README "Entitlement rules"): the stored tier
/// follows what the facts decide, an operator decision holds against facts about payments made
/// before it, and a payment completed after it counts. Every order of the same events ends alike.
/// </summary>
public sealed class TierRulesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T09:00:00Z");
    private static readonly DateTimeOffset DecidedAt = DateTimeOffset.Parse("2026-12-03T10:00:00Z");
    private static readonly LearnerId Id = LearnerId.Parse("learner_demo");

    private static Learner Fresh() => Learner.CreateFree(Id, "Zoë", T0);

    private static SessionSnapshot Snapshot(string session, string intent) => new(session, Id.Value, intent, 1900, "usd", T0.AddHours(24));

    private static CheckoutCompleted Completed(string id, DateTimeOffset at, string session = "cs_test_old", string intent = "pi_old") =>
        new(id, "checkout.session.completed", at, Snapshot(session, intent), true);

    private static CheckoutExpired Expired(string id, DateTimeOffset at, string session = "cs_test_old", string intent = "pi_old") =>
        new(id, "checkout.session.expired", at, Snapshot(session, intent));

    private static ChargeRefunded Refunded(string id, DateTimeOffset at, bool full = true, string intent = "pi_old") =>
        new(id, "charge.refunded", at, "ch_" + intent, intent, Id.Value, full, full ? 1900 : 500);

    private static DisputeCreated DisputeOpened(DateTimeOffset at) =>
        new("evt_dispute_created", "charge.dispute.created", at, "dp_old", "ch_pi_old", "pi_old", null, "needs_response");

    private static DisputeClosed DisputeClosed(string status, DateTimeOffset at) =>
        new("evt_dispute_closed_" + status, "charge.dispute.closed", at, "dp_old", "ch_pi_old", "pi_old", null, status);

    private static Learner Apply(Learner learner, params PaymentEvent[] events) =>
        events.Aggregate(learner, (l, e) => EntitlementRules.Apply(l, e, e.Created.AddSeconds(1)));

    private static Learner Grant(Learner learner, string? reason = "scholarship") =>
        TierRules.DecideByOperator(learner, OperatorAction.Grant, reason, DecidedAt);

    private static Learner Revoke(Learner learner, string? reason = "chargeback abuse") =>
        TierRules.DecideByOperator(learner, OperatorAction.Revoke, reason, DecidedAt);

    private static Learner PaidBeforeTheDecision() => Apply(Fresh(), Completed("evt_completed", T0.AddMinutes(5)));

    [Fact]
    public void Without_a_decision_the_stored_tier_is_what_the_facts_decide()
    {
        var paid = PaidBeforeTheDecision();
        var refunded = Apply(paid, Refunded("evt_refunded", T0.AddHours(1)));

        Assert.Equal(Tier.Paid, paid.Tier);
        Assert.Equal(Tier.Free, refunded.Tier);
        Assert.Equal(T0.AddHours(1).AddSeconds(1), refunded.TierChangedAt);
    }

    [Fact]
    public void A_grant_makes_a_free_learner_paid_and_is_recorded_with_time_action_and_reason()
    {
        var granted = Grant(Fresh());

        Assert.Equal(Tier.Paid, granted.Tier);
        Assert.Equal(DecidedAt, granted.TierChangedAt);
        Assert.Equal(new OperatorFact(DecidedAt, OperatorAction.Grant, Tier.Paid, "scholarship"), Assert.Single(granted.OperatorFacts));
        Assert.Equal("paid: granted by the operator on 3 Dec 2026 (scholarship)", TierRules.Explain(granted).Description);
    }

    [Fact]
    public void A_grant_survives_a_redelivered_completed_and_an_expired_event()
    {
        var granted = Grant(PaidBeforeTheDecision());

        var after = Apply(granted,
            Completed("evt_completed", T0.AddMinutes(5)),
            Completed("evt_completed_resent_as_new", T0.AddMinutes(5)),
            Expired("evt_expired", T0.AddDays(1)),
            Expired("evt_other_expired", DecidedAt.AddHours(1), session: "cs_test_other", intent: "pi_other"));

        Assert.Equal(Tier.Paid, after.Tier);
        Assert.Equal(TierChangeCause.Grant, TierRules.Explain(after).Cause);
    }

    [Fact]
    public void A_refund_of_the_learners_own_payment_after_a_grant_keeps_the_learner_paid()
    {
        var granted = Grant(PaidBeforeTheDecision());

        var refunded = Apply(granted, Refunded("evt_refunded", DecidedAt.AddHours(2)));

        Assert.Equal(Tier.Paid, refunded.Tier);
        Assert.Equal(CheckoutStatus.Refunded, Assert.Single(refunded.Checkouts).Status);
        Assert.Equal(Tier.Free, TierRules.BillingTier(refunded.Checkouts));
        Assert.Equal("paid: granted by the operator on 3 Dec 2026 (scholarship)", TierRules.Explain(refunded).Description);
    }

    [Fact]
    public void A_grant_stands_against_a_dispute_and_a_lost_dispute()
    {
        var granted = Grant(PaidBeforeTheDecision());

        var lost = Apply(granted, DisputeOpened(DecidedAt.AddHours(1)), DisputeClosed("lost", DecidedAt.AddDays(9)));

        Assert.Equal(Tier.Paid, lost.Tier);
    }

    [Fact]
    public void A_revoke_survives_a_redelivery_an_expiry_a_partial_refund_and_a_won_dispute_of_an_earlier_payment()
    {
        var revoked = Revoke(PaidBeforeTheDecision());

        var after = Apply(revoked,
            Completed("evt_completed", T0.AddMinutes(5)),
            Expired("evt_expired", T0.AddDays(1)),
            Refunded("evt_partial", DecidedAt.AddHours(1), full: false),
            DisputeOpened(DecidedAt.AddHours(2)),
            DisputeClosed("won", DecidedAt.AddDays(9)));

        Assert.Equal(Tier.Free, revoked.Tier);
        Assert.Equal(Tier.Free, after.Tier);
        Assert.Equal("free: revoked by the operator on 3 Dec 2026 (chargeback abuse)", TierRules.Explain(after).Description);
    }

    [Fact]
    public void A_payment_completed_after_a_revoke_makes_the_learner_paid_and_its_refund_falls_back_to_the_revoke()
    {
        var revoked = Revoke(PaidBeforeTheDecision());

        var paidAgain = Apply(revoked, Completed("evt_new_completed", DecidedAt.AddDays(1), "cs_test_new", "pi_new"));
        var refundedAgain = Apply(paidAgain, Refunded("evt_new_refunded", DecidedAt.AddDays(2), intent: "pi_new"));

        Assert.Equal(Tier.Paid, paidAgain.Tier);
        Assert.Equal(TierChangeCause.Payment, TierRules.Explain(paidAgain).Cause);
        Assert.Equal(Tier.Free, refundedAgain.Tier);
        Assert.Equal(TierChangeCause.Refund, TierRules.Explain(refundedAgain).Cause);
    }

    [Fact]
    public void The_next_operator_decision_replaces_the_previous_one()
    {
        var granted = Grant(Fresh());

        var revoked = TierRules.DecideByOperator(granted, OperatorAction.Revoke, null, DecidedAt.AddDays(1));

        Assert.Equal(Tier.Free, revoked.Tier);
        Assert.Equal([OperatorAction.Grant, OperatorAction.Revoke], revoked.OperatorFacts.Select(f => f.Action));
        Assert.Equal("free: revoked by the operator on 4 Dec 2026", TierRules.Explain(revoked).Description);
    }

    [Fact]
    public void After_a_grant_every_order_of_the_same_events_leaves_the_learner_paid()
    {
        var granted = Grant(Fresh());
        PaymentEvent[] events =
        [
            Completed("evt_completed", DecidedAt.AddHours(1)),
            DisputeOpened(DecidedAt.AddHours(2)),
            Refunded("evt_refunded", DecidedAt.AddHours(3)),
            DisputeClosed("won", DecidedAt.AddHours(4)),
            Expired("evt_expired", DecidedAt.AddHours(5)),
        ];

        var outcomes = Permutations(events).Select(order => Apply(granted, order)).Select(l => (l.Tier, l.Checkouts.Single().Status)).Distinct();

        Assert.Equal([(Tier.Paid, CheckoutStatus.Refunded)], outcomes);
    }

    [Fact]
    public void After_a_revoke_every_order_of_the_same_events_gives_the_same_outcome()
    {
        var revoked = Revoke(PaidBeforeTheDecision());
        PaymentEvent[] oldPayment = [DisputeOpened(DecidedAt.AddHours(1)), DisputeClosed("won", DecidedAt.AddHours(2)), Expired("evt_expired", T0.AddDays(1))];
        PaymentEvent[] withNewPayment = [.. oldPayment, Completed("evt_new_completed", DecidedAt.AddHours(3), "cs_test_new", "pi_new")];
        PaymentEvent[] withNewRefund = [.. withNewPayment, Refunded("evt_new_refunded", DecidedAt.AddHours(4), intent: "pi_new")];

        Assert.Equal([Tier.Free], Permutations(oldPayment).Select(order => Apply(revoked, order).Tier).Distinct());
        Assert.Equal([Tier.Paid], Permutations(withNewPayment).Select(order => Apply(revoked, order).Tier).Distinct());
        Assert.Equal([Tier.Free], Permutations(withNewRefund).Select(order => Apply(revoked, order).Tier).Distinct());
    }

    [Fact]
    public void A_hand_edited_tier_is_seen_as_an_unrecorded_edit_and_explained_so()
    {
        var edited = PaidBeforeTheDecision() with { Tier = Tier.Free };

        Assert.True(TierRules.HasUnrecordedHandEdit(edited));
        Assert.Equal("free: set by hand in the learner file", TierRules.Explain(edited).Description);
    }

    [Fact]
    public void Recording_a_hand_edit_keeps_the_edited_tier_and_explains_it_as_an_operator_fact()
    {
        var edited = Fresh() with { Tier = Tier.Paid };

        var recorded = TierRules.RecordHandEdit(edited, DecidedAt);

        Assert.Equal(Tier.Paid, recorded.Tier);
        Assert.Equal(new OperatorFact(DecidedAt, OperatorAction.HandEdit, Tier.Paid), Assert.Single(recorded.OperatorFacts));
        Assert.False(TierRules.HasUnrecordedHandEdit(recorded));
        Assert.Equal("paid: set by hand in the learner file on 3 Dec 2026", TierRules.Explain(recorded).Description);
    }

    [Fact]
    public void A_hand_edit_is_dated_no_earlier_than_the_payments_the_editor_could_see()
    {
        var edited = Apply(Fresh(), Completed("evt_completed", DecidedAt.AddMinutes(1))) with { Tier = Tier.Free };

        var recorded = TierRules.RecordHandEdit(edited, DecidedAt);

        Assert.Equal(Tier.Free, recorded.Tier);
        Assert.Equal(DecidedAt.AddMinutes(1), recorded.OperatorFacts.Single().At);
    }

    [Fact]
    public void A_document_whose_tier_matches_its_facts_has_no_hand_edit_to_record()
    {
        var paid = PaidBeforeTheDecision();

        Assert.Same(paid, TierRules.RecordHandEdit(paid, DecidedAt));
    }

    [Theory]
    [InlineData(Tier.Free, 3, 5, true)]
    [InlineData(Tier.Free, 5, 5, true)]
    [InlineData(Tier.Free, 6, 5, false)]
    [InlineData(Tier.Free, 1, 0, false)]
    [InlineData(Tier.Paid, 40, 5, true)]
    public void Chapter_access_follows_the_stored_tier(Tier tier, int chapter, int freeChapters, bool allowed)
    {
        Assert.Equal(allowed, ChapterAccess.Check(tier, chapter, freeChapters).Allowed);
    }

    private static IEnumerable<PaymentEvent[]> Permutations(PaymentEvent[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (PaymentEvent[])[item, .. rest]));
}
