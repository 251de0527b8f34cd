using System.Text;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>Reading Stripe's own event payloads: only the fields the rules use, leniently.</summary>
public sealed class StripeEventTranslatorTests
{
    private static ParsedEvent ParseFile(string file) => StripeEventTranslator.Parse(Encoding.UTF8.GetString(SharedStripeData.ReadBytes("events/" + file)));

    [Fact]
    public void Completed_paid_names_learner_session_and_payment_intent()
    {
        var handled = Assert.IsType<ParsedEvent.Handled>(ParseFile("checkout.session.completed.json"));

        var completed = Assert.IsType<CheckoutCompleted>(handled.Event);
        Assert.True(completed.Paid);
        Assert.Equal("evt_1TcLw01demoQ82TofIaOlkUp", completed.EventId);
        Assert.Equal("learner_demo", completed.NamedLearnerId);
        Assert.Equal("pi_3TcLw01demoQaXCn3hhU1ede", completed.PaymentIntentId);
        Assert.StartsWith("cs_test_", completed.Session.SessionId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795168993), completed.Created);
        Assert.Equal("2026-10-28.endive", handled.ApiVersion);
    }

    [Fact]
    public void Completed_unpaid_is_not_paid()
    {
        var handled = Assert.IsType<ParsedEvent.Handled>(ParseFile("checkout.session.completed.unpaid.json"));

        Assert.False(Assert.IsType<CheckoutCompleted>(handled.Event).Paid);
    }

    [Theory]
    [InlineData("checkout.session.async_payment_succeeded.json", typeof(AsyncPaymentSucceeded))]
    [InlineData("checkout.session.async_payment_failed.json", typeof(AsyncPaymentFailed))]
    [InlineData("checkout.session.expired.json", typeof(CheckoutExpired))]
    [InlineData("charge.refunded.json", typeof(ChargeRefunded))]
    [InlineData("charge.dispute.created.json", typeof(DisputeCreated))]
    [InlineData("charge.dispute.closed.won.json", typeof(DisputeClosed))]
    [InlineData("charge.dispute.closed.lost.json", typeof(DisputeClosed))]
    public void Each_handled_event_file_becomes_its_payment_event(string file, Type expected)
    {
        var handled = Assert.IsType<ParsedEvent.Handled>(ParseFile(file));

        Assert.IsType(expected, handled.Event);
    }

    [Fact]
    public void A_full_refund_carries_the_learner_from_charge_metadata()
    {
        var refund = Assert.IsType<ChargeRefunded>(Assert.IsType<ParsedEvent.Handled>(ParseFile("charge.refunded.json")).Event);

        Assert.True(refund.FullyRefunded);
        Assert.Equal(1900, refund.AmountRefunded);
        Assert.Equal("learner_demo", refund.NamedLearnerId);
        Assert.Equal("pi_3TcLw01demoQaXCn3hhU1ede", refund.PaymentIntentId);
    }

    [Fact]
    public void A_dispute_names_no_learner_only_its_payment_intent()
    {
        var dispute = Assert.IsType<DisputeClosed>(Assert.IsType<ParsedEvent.Handled>(ParseFile("charge.dispute.closed.won.json")).Event);

        Assert.Null(dispute.NamedLearnerId);
        Assert.Equal("pi_3TcLw01demoQaXCn3hhU1ede", dispute.PaymentIntentId);
        Assert.Equal("won", dispute.Status);
    }

    [Fact]
    public void An_unrelated_type_is_ignored()
    {
        var ignored = Assert.IsType<ParsedEvent.Ignored>(ParseFile("customer.created.json"));

        Assert.Equal("customer.created", ignored.Type);
    }

    [Fact]
    public void Client_reference_id_stands_in_when_metadata_is_missing()
    {
        var body = """{"id":"evt_1","type":"checkout.session.completed","created":1,"data":{"object":{"id":"cs_1","client_reference_id":"learner_x","payment_status":"paid"}}}""";

        var handled = Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(body));

        Assert.Equal("learner_x", handled.Event.NamedLearnerId);
    }

    [Fact]
    public void An_expanded_payment_intent_object_is_read_for_its_id()
    {
        var body = """{"id":"evt_1","type":"checkout.session.completed","created":1,"data":{"object":{"id":"cs_1","payment_intent":{"id":"pi_expanded","object":"payment_intent"},"payment_status":"paid"}}}""";

        var handled = Assert.IsType<ParsedEvent.Handled>(StripeEventTranslator.Parse(body));

        Assert.Equal("pi_expanded", handled.Event.PaymentIntentId);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"id":"cus_1","type":"checkout.session.completed"}""")]
    [InlineData("""{"id":"evt_1","type":"checkout.session.completed","created":1}""")]
    [InlineData("""{"id":"evt_1","type":"checkout.session.completed","created":"yesterday","data":{"object":{"id":"cs_1"}}}""")]
    [InlineData("""{"id":"evt_1","type":"checkout.session.completed","created":1,"data":{"object":{"payment_status":"paid"}}}""")]
    [InlineData("""{"id":"evt_1","type":"charge.dispute.created","created":1,"data":{"object":{"id":"dp_1"}}}""")]
    public void Malformed_bodies_are_reported_not_thrown(string body)
    {
        Assert.IsType<ParsedEvent.Malformed>(StripeEventTranslator.Parse(body));
    }

    [Fact]
    public void Nesting_beyond_64_levels_is_malformed()
    {
        var deep = new string('[', 1000) + new string(']', 1000);

        Assert.IsType<ParsedEvent.Malformed>(StripeEventTranslator.Parse(deep));
    }
}
