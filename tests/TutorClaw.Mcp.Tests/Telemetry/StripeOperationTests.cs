using TutorClaw.Mcp.Telemetry;

namespace TutorClaw.Mcp.Tests.Telemetry;

public sealed class StripeOperationTests
{
    [Theory]
    [InlineData("POST", "https://api.stripe.com/v1/checkout/sessions", "checkout.sessions.create")]
    [InlineData("GET", "https://api.stripe.com/v1/checkout/sessions/cs_test_123", "checkout.sessions.retrieve")]
    [InlineData("POST", "https://api.stripe.com/v1/checkout/sessions/cs_test_123/expire", "checkout.sessions.expire")]
    [InlineData("GET", "https://api.stripe.com/v1/events?limit=100", "events.list")]
    [InlineData("GET", "http://127.0.0.1:9/prefix/v1/events", "events.list")]
    [InlineData("DELETE", "https://api.stripe.com/v1/customers/cus_1", "other")]
    public void Operations_are_named_without_ids(string method, string uri, string operation)
    {
        Assert.Equal(operation, StripeMetricsHandler.OperationOf(new HttpMethod(method), new Uri(uri)));
    }
}
