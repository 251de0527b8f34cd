using System.Diagnostics;

namespace TutorClaw.Mcp.Telemetry;

/// <summary>
/// Times every /webhook delivery and counts it once. The endpoint says what it did with
/// <see cref="Note"/>; a delivery it did not note (refused before parsing, or a 5xx) is counted
/// from its status code with type <c>unknown</c>.
/// </summary>
public sealed class WebhookMetricsFilter(TutorClawMetrics metrics) : IEndpointFilter
{
    public const string UnknownType = "unknown";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        var noted = context.HttpContext.Features.Get<Noted>();
        var outcome = noted?.Outcome ?? (StatusOf(result) is >= 500 ? WebhookOutcome.Failed : WebhookOutcome.Rejected);
        metrics.WebhookHandled(noted?.Type ?? UnknownType, outcome, Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <summary>Called by the endpoint once it knows the event type and what became of it.</summary>
    public static void Note(HttpContext context, string type, WebhookOutcome outcome) =>
        context.Features.Set(new Noted(type, outcome));

    private static int? StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult status => status.StatusCode,
        _ => null,
    };

    private sealed record Noted(string Type, WebhookOutcome Outcome);
}
