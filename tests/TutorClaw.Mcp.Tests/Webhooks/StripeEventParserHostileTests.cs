using System.Text;
using System.Text.Json.Nodes;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Webhooks;

namespace TutorClaw.Mcp.Tests.Webhooks;

/// <summary>Verified events can still carry any value; the parser answers Malformed or ignores a field, never throws.</summary>
public sealed class StripeEventParserHostileTests
{
    private static byte[] CompletedWith(string path, JsonNode? value)
    {
        var root = JsonNode.Parse(SharedStripeData.ReadBytes("events/checkout.session.completed.json"))!.AsObject();
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }
        parent[parts[^1]] = value;
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    [Theory]
    [InlineData(253_402_300_800L)]
    [InlineData(-62_135_596_801L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void A_created_time_no_date_can_hold_is_malformed(long created)
    {
        var parsed = StripeEventParser.Parse(CompletedWith("created", created));

        Assert.IsType<ParsedEvent.Malformed>(parsed);
    }

    [Theory]
    [InlineData(253_402_300_800L)]
    [InlineData(long.MinValue)]
    public void An_expiry_no_date_can_hold_is_left_out(long expiresAt)
    {
        var parsed = StripeEventParser.Parse(CompletedWith("data.object.expires_at", expiresAt));

        var completed = Assert.IsType<CheckoutCompleted>(Assert.IsType<ParsedEvent.Handled>(parsed).Event);
        Assert.Null(completed.Session.ExpiresAt);
    }

    [Fact]
    public void A_body_with_invalid_utf8_inside_a_string_is_malformed()
    {
        var body = CompletedWith("data.object.client_reference_id", "learner_demo");
        var at = Encoding.UTF8.GetString(body).IndexOf("learner_demo", StringComparison.Ordinal);
        body[at] = 0xD9;

        var parsed = StripeEventParser.Parse(body);

        Assert.IsType<ParsedEvent.Malformed>(parsed);
    }

    [Fact]
    public void The_edges_of_the_date_range_still_parse()
    {
        var parsed = StripeEventParser.Parse(CompletedWith("created", 253_402_300_799L));

        Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeSeconds(), Assert.IsType<ParsedEvent.Handled>(parsed).Event.Created.ToUnixTimeSeconds());
    }
}
