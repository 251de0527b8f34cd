using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>Issue 16's rules as pure functions: status → tier, the grace, ordering, and the translator's reading of endive shapes.</summary>
public sealed class SubscriptionRulesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_795_168_800);
    private static readonly LearnerId Id = LearnerId.Parse("learner_demo");

    private static SubscriptionChanged Changed(string id, int hours, string status, string type = "customer.subscription.updated", bool cancel = false) =>
        new(id, type, T0.AddHours(hours), "sub_A", "cus_A", Id.Value, status, cancel, T0.AddDays(30));

    private static InvoicePaymentFailed Failed(string id, int hours) => new(id, "invoice.payment_failed", T0.AddHours(hours), "in_" + id, "sub_A", "cus_A", Id.Value);

    private static InvoicePaid Paid(string id, int hours) => new(id, "invoice.paid", T0.AddHours(hours), "in_" + id, "sub_A", "cus_A", Id.Value);

    private static InvoicePaid PaidBy(string id, int hours, string paymentIntent) =>
        new(id, "invoice.paid", T0.AddHours(hours), "in_" + id, "sub_A", "cus_A", Id.Value, [paymentIntent]);

    private static ChargeRefunded Refunded(string id, int hours, string paymentIntent, bool full = true) =>
        new(id, "charge.refunded", T0.AddHours(hours), "ch_" + id, paymentIntent, null, full, full ? 1900 : 500);

    private static DisputeCreated Disputed(string id, int hours, string paymentIntent) =>
        new(id, "charge.dispute.created", T0.AddHours(hours), "dp_A", "ch_A", paymentIntent, null, "needs_response");

    private static DisputeClosed DisputeClosedAs(string id, int hours, string paymentIntent, string status) =>
        new(id, "charge.dispute.closed", T0.AddHours(hours), "dp_A", "ch_A", paymentIntent, null, status);

    private static Learner ApplyAll(DateTimeOffset now, params PaymentEvent[] events) =>
        events.Aggregate(Learner.CreateFree(Id, "Zoë", T0), (learner, e) => EntitlementRules.Apply(learner, e, now, TimeSpan.FromDays(3)) with { UpdatedAt = now });

    [Fact]
    public void A_full_refund_of_an_invoice_payment_ends_the_subscriptions_access_until_a_later_invoice_is_paid()
    {
        var refunded = ApplyAll(T0.AddHours(5), Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Refunded("evt_3", 4, "pi_A"));
        var renewed = ApplyAll(T0.AddDays(31), Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Refunded("evt_3", 4, "pi_A"), PaidBy("evt_4", 24 * 30, "pi_B"));

        Assert.Equal(Tier.Free, refunded.Tier);
        Assert.Equal(T0.AddHours(4), Assert.Single(refunded.Subscriptions).RefundedAt);
        Assert.Empty(refunded.Checkouts);
        Assert.Equal(Tier.Paid, renewed.Tier);
        Assert.Equal(["pi_A", "pi_B"], Assert.Single(renewed.Subscriptions).PaymentIntentIds);
    }

    [Fact]
    public void A_partial_refund_of_an_invoice_payment_leaves_access()
    {
        var learner = ApplyAll(T0.AddHours(5), Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Refunded("evt_3", 4, "pi_A", full: false));

        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Null(Assert.Single(learner.Subscriptions).RefundedAt);
    }

    [Fact]
    public void A_dispute_of_an_invoice_payment_suspends_access_a_win_restores_it_a_loss_does_not_in_any_order()
    {
        PaymentEvent[] won = [Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Disputed("evt_3", 4, "pi_A"), DisputeClosedAs("evt_4", 9, "pi_A", "won")];
        PaymentEvent[] lost = [Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Disputed("evt_3", 4, "pi_A"), DisputeClosedAs("evt_4", 9, "pi_A", "lost")];

        Assert.Equal(Tier.Free, ApplyAll(T0.AddHours(5), won[..3]).Tier);
        Assert.Equal(Tier.Paid, ApplyAll(T0.AddHours(10), won).Tier);
        Assert.Equal(Tier.Paid, ApplyAll(T0.AddHours(10), won[0], won[1], won[3], won[2]).Tier);
        Assert.Equal(Tier.Free, ApplyAll(T0.AddHours(10), lost).Tier);
        Assert.Equal(Tier.Free, ApplyAll(T0.AddHours(10), lost[0], lost[1], lost[3], lost[2]).Tier);
    }

    [Fact]
    public void A_refund_of_a_payment_intent_no_subscription_knows_goes_to_the_checkouts_as_before()
    {
        var learner = ApplyAll(T0.AddHours(5), Changed("evt_1", 1, "active"), PaidBy("evt_2", 1, "pi_A"), Refunded("evt_3", 4, "pi_other"));

        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Equal("pi_other", Assert.Single(learner.Checkouts).PaymentIntentId);
    }

    [Fact]
    public void The_translator_reads_the_payment_intents_of_an_invoices_paid_payments()
    {
        const string paid = """
            {"id":"evt_p","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"invoice.paid",
             "data":{"object":{"id":"in_A","object":"invoice","customer":"cus_A",
              "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_A","metadata":{"learner_id":"learner_demo"}}},
              "payments":{"object":"list","has_more":false,"data":[
                {"id":"inpay_1","object":"invoice_payment","invoice":"in_A","status":"paid","payment":{"type":"payment_intent","payment_intent":"pi_A"}},
                {"id":"inpay_2","object":"invoice_payment","invoice":"in_A","status":"canceled","payment":{"type":"payment_intent","payment_intent":"pi_dead"}},
                {"id":"inpay_3","object":"invoice_payment","invoice":"in_A","status":"paid","payment":{"type":"payment_intent","payment_intent":{"id":"pi_B","object":"payment_intent"}}}]}}}}
            """;
        const string bare = """
            {"id":"evt_q","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"invoice.paid",
             "data":{"object":{"id":"in_A","object":"invoice","customer":"cus_A",
              "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_A","metadata":{"learner_id":"learner_demo"}}}}}}
            """;

        var withPayments = Assert.IsType<InvoicePaid>(Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(paid)).Event);
        var without = Assert.IsType<InvoicePaid>(Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(bare)).Event);

        Assert.Equal(["pi_A", "pi_B"], withPayments.PaymentIntents);
        Assert.Empty(without.PaymentIntents);
    }

    [Theory]
    [InlineData("active", Tier.Paid)]
    [InlineData("trialing", Tier.Paid)]
    [InlineData("past_due", Tier.Paid)]
    [InlineData("canceled", Tier.Free)]
    [InlineData("unpaid", Tier.Free)]
    [InlineData("incomplete_expired", Tier.Free)]
    [InlineData("paused", Tier.Free)]
    [InlineData("incomplete", Tier.Free)]
    public void Status_decides_the_tier(string status, Tier expected) =>
        Assert.Equal(expected, ApplyAll(T0.AddHours(2), Changed("evt_1", 1, status)).Tier);

    [Fact]
    public void Past_due_is_paid_until_three_days_after_the_first_failed_invoice()
    {
        var learner = ApplyAll(T0.AddHours(3), Failed("evt_f1", 1), Failed("evt_f2", 40), Changed("evt_u", 2, "past_due"));

        Assert.Equal(T0.AddHours(1).AddDays(3), Assert.Single(learner.Subscriptions).GraceEndsAt);
        Assert.Equal(Tier.Paid, TierRules.Current(learner, T0.AddHours(1).AddDays(3).AddSeconds(-1)));
        Assert.Equal(Tier.Free, TierRules.Current(learner, T0.AddHours(1).AddDays(3)));
    }

    [Fact]
    public void Invoice_outcomes_give_the_same_grace_in_any_order()
    {
        PaymentEvent[] events = [Failed("evt_f1", 1), Paid("evt_p", 2), Failed("evt_f2", 5), Changed("evt_u", 6, "past_due")];
        var inOrder = Assert.Single(ApplyAll(T0.AddHours(7), events).Subscriptions).GraceEndsAt;
        var reversed = Assert.Single(ApplyAll(T0.AddHours(7), [.. events.Reverse()]).Subscriptions).GraceEndsAt;

        Assert.Equal(T0.AddHours(5).AddDays(3), inOrder);
        Assert.Equal(inOrder, reversed);
    }

    [Fact]
    public void An_older_snapshot_does_not_replace_a_newer_one()
    {
        var learner = ApplyAll(T0.AddHours(5), Changed("evt_new", 4, "active"), Changed("evt_old", 2, "incomplete", "customer.subscription.created"));

        Assert.Equal("active", Assert.Single(learner.Subscriptions).Status);
        Assert.Equal(Tier.Paid, learner.Tier);
    }

    [Fact]
    public void Deleted_is_final_whatever_arrives_later()
    {
        var learner = ApplyAll(T0.AddHours(9),
            Changed("evt_del", 3, "canceled", "customer.subscription.deleted"), Changed("evt_late", 8, "active"));

        Assert.Equal("canceled", Assert.Single(learner.Subscriptions).Status);
        Assert.Equal(Tier.Free, learner.Tier);
    }

    [Fact]
    public void The_translator_reads_the_period_end_from_the_items_and_the_invoice_subscription_from_its_parent()
    {
        const string subscription = """
            {"id":"evt_s","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"customer.subscription.updated",
             "data":{"object":{"id":"sub_A","object":"subscription","customer":"cus_A","status":"active","cancel_at_period_end":true,
              "metadata":{"learner_id":"learner_demo"},
              "items":{"object":"list","data":[{"id":"si_1","object":"subscription_item","current_period_end":1797847200},
                                               {"id":"si_2","object":"subscription_item","current_period_end":1797760800}]}}}}
            """;
        const string invoice = """
            {"id":"evt_i","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"invoice.payment_failed",
             "data":{"object":{"id":"in_A","object":"invoice","customer":"cus_A",
              "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_A","metadata":{"learner_id":"learner_demo"}}}}}}
            """;
        const string manualInvoice = """
            {"id":"evt_m","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"invoice.paid",
             "data":{"object":{"id":"in_B","object":"invoice","customer":"cus_A","parent":null}}}
            """;
        const string subscriptionCheckout = """
            {"id":"evt_c","object":"event","api_version":"2026-10-28.endive","created":1795168800,"type":"checkout.session.completed",
             "data":{"object":{"id":"cs_A","object":"checkout.session","mode":"subscription","payment_status":"paid","client_reference_id":"learner_demo"}}}
            """;

        var changed = Assert.IsType<SubscriptionChanged>(Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(subscription)).Event);
        Assert.Equal(("sub_A", "cus_A", "learner_demo", "active", true), (changed.SubscriptionId, changed.CustomerId, changed.NamedLearnerId, changed.Status, changed.CancelAtPeriodEnd));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1797847200), changed.CurrentPeriodEnd);
        var failed = Assert.IsType<InvoicePaymentFailed>(Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(invoice)).Event);
        Assert.Equal(("in_A", "sub_A", "learner_demo"), (failed.InvoiceId, failed.SubscriptionId, failed.NamedLearnerId));
        Assert.IsType<ParsedEvent.Ignored>(StripeEventTranslator.Parse(manualInvoice));
        Assert.IsType<ParsedEvent.Ignored>(StripeEventTranslator.Parse(subscriptionCheckout));
    }
}
