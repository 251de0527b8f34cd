using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Tests.Stripe;

public sealed class StripeFormEncoderTests
{
    /// <summary>The body stripe-node 23.1.0 sent for this project's session
    /// (shared/stripe/checkout-session-create.md), byte for byte.</summary>
    internal const string CapturedCheckoutBody =
        "mode=payment&line_items[0][price]=price_1TcLw01demoQPaidTier0001&line_items[0][quantity]=1"
        + "&success_url=http%3A%2F%2Flocalhost%3A8000%2Fcheckout%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D"
        + "&cancel_url=http%3A%2F%2Flocalhost%3A8000%2Fcheckout%2Fcancel&client_reference_id=learner_demo"
        + "&metadata[learner_id]=learner_demo&payment_intent_data[metadata][learner_id]=learner_demo";

    internal static CheckoutSessionRequest DocumentedRequest() => new(
        "price_1TcLw01demoQPaidTier0001",
        1,
        "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "http://localhost:8000/checkout/cancel",
        "learner_demo",
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" },
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" });

    [Fact]
    public void Checkout_body_matches_the_stripe_node_capture_byte_for_byte()
    {
        var body = StripeFormEncoder.Encode(StripeRequestParameters.ForCheckoutSession(DocumentedRequest()));

        Assert.Equal(CapturedCheckoutBody, body);
        Assert.Equal(377, body.Length); // the captured Content-Length
    }

    [Fact]
    public void Checkout_fields_come_in_the_documented_order()
    {
        var pairs = StripeFormEncoder.Flatten(StripeRequestParameters.ForCheckoutSession(DocumentedRequest()));

        Assert.Equal(CheckoutCapture.DecodedFields(), pairs);
    }

    [Fact]
    public void Checkout_session_id_template_travels_literally_percent_encoded()
    {
        var body = StripeFormEncoder.Encode(StripeRequestParameters.ForCheckoutSession(DocumentedRequest()));

        Assert.Contains("%7BCHECKOUT_SESSION_ID%7D", body);
        Assert.DoesNotContain("{", body);
    }

    [Fact]
    public void Nested_dictionaries_become_bracketed_names()
    {
        var body = StripeFormEncoder.Encode(
        [
            new("payment_intent_data", new Dictionary<string, object?>
            {
                ["metadata"] = new Dictionary<string, string> { ["learner_id"] = "l1", ["plan"] = "paid" },
                ["description"] = "tier",
            }),
        ]);

        Assert.Equal(
            "payment_intent_data[metadata][learner_id]=l1&payment_intent_data[metadata][plan]=paid&payment_intent_data[description]=tier",
            body);
    }

    [Fact]
    public void Lists_of_objects_are_indexed_from_zero()
    {
        var body = StripeFormEncoder.Encode(
        [
            new("line_items", new[]
            {
                new Dictionary<string, object?> { ["price"] = "price_a", ["quantity"] = 1 },
                new Dictionary<string, object?> { ["price"] = "price_b", ["quantity"] = 2 },
            }),
            new("payment_method_types", new List<string> { "card", "link" }),
        ]);

        Assert.Equal(
            "line_items[0][price]=price_a&line_items[0][quantity]=1&line_items[1][price]=price_b&line_items[1][quantity]=2"
            + "&payment_method_types[0]=card&payment_method_types[1]=link",
            body);
    }

    [Fact]
    public void Special_characters_are_escaped_but_brackets_stay_literal()
    {
        var body = StripeFormEncoder.Encode([new("metadata", new Dictionary<string, string> { ["note"] = "a&b=c+d [x]" })]);

        Assert.Equal("metadata[note]=a%26b%3Dc%2Bd%20[x]", body);
    }

    [Fact]
    public void Non_ascii_is_utf8_percent_encoded_and_space_is_percent_20()
    {
        var body = StripeFormEncoder.Encode([new("metadata", new Dictionary<string, string> { ["learner_name"] = "Zoë 李" })]);

        Assert.Equal("metadata[learner_name]=Zo%C3%AB%20%E6%9D%8E", body);
    }

    [Fact]
    public void Characters_encodeURIComponent_leaves_alone_are_escaped_too_except_unreserved()
    {
        Assert.Equal("%21%2A%28%29%27-._~aZ09", StripeFormEncoder.EncodeComponent("!*()'-._~aZ09"));
    }

    [Fact]
    public void Empty_value_is_sent_as_key_equals_and_null_is_left_out()
    {
        var body = StripeFormEncoder.Encode(
        [
            new("metadata", new Dictionary<string, string> { ["old_key"] = "" }),
            new("customer", null),
            new("description", ""),
        ]);

        Assert.Equal("metadata[old_key]=&description=", body);
    }

    [Fact]
    public void Scalars_use_stripe_spellings()
    {
        var body = StripeFormEncoder.Encode(
        [
            new("flag", true),
            new("off", false),
            new("amount", 1900L),
            new("ratio", 1.5m),
            new("at", DateTimeOffset.FromUnixTimeSeconds(1_795_168_800)),
        ]);

        Assert.Equal("flag=true&off=false&amount=1900&ratio=1.5&at=1795168800", body);
    }

    [Fact]
    public void Empty_objects_and_lists_add_nothing()
    {
        var body = StripeFormEncoder.Encode(
        [
            new("mode", "payment"),
            new("metadata", new Dictionary<string, string>()),
            new("types", Array.Empty<string>()),
        ]);

        Assert.Equal("mode=payment", body);
    }

    [Fact]
    public void Unsupported_value_types_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StripeFormEncoder.Encode([new("thing", new object())]));
    }

    [Fact]
    public void Event_list_query_uses_the_captured_bracket_encoding()
    {
        var query = new EventListQuery(
            ["checkout.session.completed", "checkout.session.async_payment_succeeded"],
            DateTimeOffset.FromUnixTimeSeconds(1_795_168_800),
            StartingAfter: null,
            Limit: 100);

        var text = StripeFormEncoder.Encode(StripeRequestParameters.ForEventList(query));

        Assert.Equal(
            "types[0]=checkout.session.completed&types[1]=checkout.session.async_payment_succeeded&created[gte]=1795168800&limit=100",
            text);
    }

    [Fact]
    public void Event_list_query_pages_with_starting_after()
    {
        var query = new EventListQuery(["charge.refunded"], null, "evt_123", 10);

        var text = StripeFormEncoder.Encode(StripeRequestParameters.ForEventList(query));

        Assert.Equal("types[0]=charge.refunded&starting_after=evt_123&limit=10", text);
    }
}
