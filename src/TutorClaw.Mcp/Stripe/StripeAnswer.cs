namespace TutorClaw.Mcp.Stripe;

/// <summary>One HTTP answer from Stripe, read completely inside the attempt that got it, so no
/// <see cref="HttpResponseMessage"/> outlives the attempt or leaves this folder.</summary>
/// <param name="ShouldRetry">The <c>Stripe-Should-Retry</c> header: true, false, or absent (null).</param>
internal sealed record StripeAnswer(int Status, string Body, string? RequestId, bool? ShouldRetry)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
