using System.Text;
using System.Text.Json.Nodes;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>Verified events can still carry any value; the translator answers Malformed or ignores a field, never throws.</summary>
public sealed class StripeEventTranslatorHostileTests
{
    private static string CompletedWith(string path, JsonNode? value)
    {
        var root = JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!.AsObject();
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }
        parent[parts[^1]] = value;
        return root.ToJsonString();
    }

    // Stripe.net reads a created time past the year 9999 in seconds as milliseconds, so
    // 253_402_300_800 now parses (as 1978); it is no longer listed here.
    [Theory]
    [InlineData(-62_135_596_801L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void A_created_time_no_date_can_hold_is_malformed(long created)
    {
        var parsed = StripeEventTranslator.Parse(CompletedWith("created", created));

        Assert.IsType<ParsedEvent.Malformed>(parsed);
    }

    [Theory]
    [InlineData(253_402_300_800L)]
    public void An_expiry_no_date_can_hold_is_left_out(long expiresAt)
    {
        var parsed = StripeEventTranslator.Parse(CompletedWith("data.object.expires_at", expiresAt));

        var completed = Assert.IsType<CheckoutCompleted>(Assert.IsType<ParsedEvent.Handled>(parsed).Event);
        Assert.Null(completed.Session.ExpiresAt);
    }

    // A body with invalid UTF-8 never reaches the translator: the signature check refuses it
    // (StripeSignatureVerifierTests.A_body_that_is_not_utf8_is_refused_even_when_signed).

    [Theory]
    [InlineData("data.object.client_reference_id", "42")]
    [InlineData("data.object.expires_at", "-9223372036854775808")]
    [InlineData("data.object.amount_total", "\"abc\"")]
    public void A_field_of_the_wrong_kind_is_left_out_and_the_event_still_applies(string path, string json)
    {
        // Only our fields are read, untyped: a value of the wrong JSON kind is as good as absent.
        var parsed = StripeEventTranslator.Parse(CompletedWith(path, JsonNode.Parse(json)));

        var session = Assert.IsType<CheckoutCompleted>(Assert.IsType<ParsedEvent.Handled>(parsed).Event).Session;
        switch (path)
        {
            case "data.object.expires_at":
                Assert.Null(session.ExpiresAt);
                break;
            case "data.object.amount_total":
                Assert.Null(session.AmountTotal);
                break;
            default:
                Assert.NotEqual("42", session.LearnerId);
                break;
        }
    }

    [Fact]
    public void An_event_of_another_api_version_applies()
    {
        var parsed = StripeEventTranslator.Parse(CompletedWith("api_version", "2019-02-19"));

        var handled = Assert.IsType<ParsedEvent.Handled>(parsed);
        Assert.Equal("2019-02-19", handled.ApiVersion);
        Assert.IsType<CheckoutCompleted>(handled.Event);
    }

    [Fact]
    public void A_created_time_in_range_is_read_in_seconds()
    {
        var parsed = StripeEventTranslator.Parse(CompletedWith("created", 4_102_444_800L)); // 2100-01-01

        Assert.Equal(4_102_444_800L, Assert.IsType<ParsedEvent.Handled>(parsed).Event.Created.ToUnixTimeSeconds());
    }
}
