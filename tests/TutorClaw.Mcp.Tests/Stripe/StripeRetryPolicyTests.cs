using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Tests.Stripe;

public sealed class StripeRetryPolicyTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 0.99, 500)]
    [InlineData(1, 0.0, 750)]
    [InlineData(1, 1.0, 1000)]
    [InlineData(2, 0.0, 1500)]
    [InlineData(5, 1.0, 5000)]
    [InlineData(20, 0.0, 3750)]
    public void Backoff_doubles_with_jitter_up_to_the_cap(int retryIndex, double jitter, double expectedMs)
    {
        Assert.Equal(expectedMs, StripeRetryPolicy.Backoff(retryIndex, Initial, Max, jitter).TotalMilliseconds, 3);
    }

    [Fact]
    public void Zero_delays_mean_no_waiting()
    {
        Assert.Equal(TimeSpan.Zero, StripeRetryPolicy.Backoff(3, TimeSpan.Zero, TimeSpan.Zero, 0.5));
    }
}
