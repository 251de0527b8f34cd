using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// The retry rules of Stripe's own libraries (shared/stripe/README.md §4), as a Polly pipeline:
/// retry on connection errors, per-attempt timeouts, 409, 429 and 5xx; a <c>Stripe-Should-Retry</c>
/// header overrides the status either way; back off exponentially from
/// <see cref="StripeOptions.InitialRetryDelay"/> up to <see cref="StripeOptions.MaxRetryDelay"/>
/// with jitter. Each attempt has its own <see cref="StripeOptions.RequestTimeout"/>.
/// </summary>
/// <remarks>
/// 429 is retried although stripe-node and Stripe.net retry it only when Stripe sends
/// <c>Stripe-Should-Retry: true</c>: a rate limit is usually momentary, and the retry is bounded.
/// </remarks>
internal static class StripeRetryPolicy
{
    /// <summary>Carries "POST /v1/…" into the retry callback for its log line.</summary>
    public static readonly ResiliencePropertyKey<string> RouteKey = new("TutorClaw.Stripe.Route");

    public static ResiliencePipeline<StripeAnswer> Build(StripeOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<StripeAnswer>();
        if (options.MaxNetworkRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<StripeAnswer>
            {
                MaxRetryAttempts = options.MaxNetworkRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Backoff(args.AttemptNumber, options.InitialRetryDelay, options.MaxRetryDelay, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    StripeClientLog.Retrying(
                        logger,
                        args.Context.Properties.GetValue(RouteKey, "?"),
                        args.AttemptNumber + 1,
                        Describe(args.Outcome),
                        args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }
        // Added after the retry, so it sits inside it: the timeout applies to each attempt.
        builder.AddTimeout(options.RequestTimeout);
        return builder.Build();
    }

    /// <summary>Whether an attempt's outcome deserves another attempt (if any are left).</summary>
    public static bool ShouldRetry(Outcome<StripeAnswer> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => true,
        { Exception: { } exception } => IsConnectionError(exception),
        { Result: { IsSuccess: true } } => false,
        { Result: { ShouldRetry: { } stripeSays } } => stripeSays,
        { Result: { } answer } => answer.Status is 409 or 429 or >= 500,
        _ => false,
    };

    /// <summary>A connection that could not be made or broke while sending or reading.</summary>
    public static bool IsConnectionError(Exception exception) => exception is HttpRequestException or IOException;

    /// <summary>
    /// Delay before retry number <paramref name="retryIndex"/> (0 = the first retry):
    /// min(initial × 2^index, max) scaled by a jitter in [0.75, 1), never below min(initial, max).
    /// Gives initial, then 1.5–2 × initial, then 3–4 × initial, … (Stripe.net's shape).
    /// </summary>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan Backoff(int retryIndex, TimeSpan initial, TimeSpan max, double jitter)
    {
        if (initial <= TimeSpan.Zero || max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(retryIndex, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var jittered = capped * (0.75 + (0.25 * Math.Clamp(jitter, 0, 1)));
        var floor = Math.Min(initial.TotalMilliseconds, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(jittered, floor));
    }

    private static string Describe(Outcome<StripeAnswer> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "a timeout",
        { Exception: HttpRequestException { HttpRequestError: var error } } => $"a connection error ({error})",
        { Exception: { } exception } => $"a connection error ({exception.GetType().Name})",
        { Result: { } answer } => $"HTTP {answer.Status} (request {answer.RequestId ?? "-"})",
        _ => "nothing",
    };
}
