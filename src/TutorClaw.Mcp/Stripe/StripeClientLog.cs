using Microsoft.Extensions.Logging;

namespace TutorClaw.Mcp.Stripe;

/// <summary>The Stripe client's log lines: method, path, status, request id, attempt. Never the
/// key, never a body, never a query string.</summary>
internal static partial class StripeClientLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "Stripe {Route} answered {Status} (request {RequestId}, attempt {Attempt})")]
    public static partial void Answered(ILogger logger, string route, int status, string? requestId, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "Stripe {Route}: attempt {Attempt} ended with {Outcome}; retrying in {DelayMs:F0} ms")]
    public static partial void Retrying(ILogger logger, string route, int attempt, string outcome, double delayMs);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Stripe {Route} failed: {Kind}, status {Status}, request {RequestId}, after {Attempts} attempt(s)")]
    public static partial void Failed(
        ILogger logger, string route, StripeFailureKind kind, int? status, string? requestId, int attempts);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "Stripe {Route} not sent: STRIPE_SECRET_KEY is not set or cannot be sent as a header")]
    public static partial void NotSent(ILogger logger, string route);
}
