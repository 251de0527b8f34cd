using System.Diagnostics;
using System.Diagnostics.Metrics;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Telemetry;

/// <summary>
/// Every metric name and tag of our own, in one place. The webhook and Stripe code only call
/// <see cref="WebhookHandled"/> and <see cref="StripeRequest"/> (through
/// <see cref="WebhookMetricsFilter"/> and <see cref="StripeMetricsHandler"/>); the two gauges are
/// read from disk when a scrape or an export asks.
/// </summary>
public sealed class TutorClawMetrics
{
    public const string MeterName = "TutorClaw.Mcp";

    public const string WebhookEvents = "tutorclaw.webhook.events";
    public const string WebhookDuration = "tutorclaw.webhook.duration";
    public const string StripeRequests = "tutorclaw.stripe.requests";
    public const string StripeRequestDuration = "tutorclaw.stripe.request.duration";
    public const string ReconciliationLag = "tutorclaw.reconciliation.lag";
    public const string UnmatchedPayments = "tutorclaw.payments.unmatched";

    public const string TypeTag = "type";
    public const string OutcomeTag = "outcome";
    public const string OperationTag = "operation";
    public const string StatusTag = "status";

    /// <summary>The meters of the MCP SDK (mcp.server.operation.duration, mcp.server.session.duration); the name changed across SDK versions.</summary>
    public static readonly string[] McpSdkMeters = ["ModelContextProtocol", "Experimental.ModelContextProtocol"];

    /// <summary>Buckets for durations in seconds, 1 ms to 10 s (the SDK's default buckets are for milliseconds).</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly Counter<long> _webhookEvents;
    private readonly Histogram<double> _webhookDuration;
    private readonly Counter<long> _stripeRequests;
    private readonly Histogram<double> _stripeDuration;

    /// <summary>The gauges resolve the reconciler and the unmatched log when read, not here: the
    /// reconciler depends on the Stripe client, whose <see cref="StripeMetricsHandler"/> depends on this.</summary>
    public TutorClawMetrics(IMeterFactory meters, IServiceProvider services, TimeProvider clock)
    {
        var meter = meters.Create(MeterName);
        _webhookEvents = meter.CreateCounter<long>(WebhookEvents, "{event}", "Stripe webhook deliveries by event type and outcome.");
        _webhookDuration = meter.CreateHistogram<double>(WebhookDuration, "s", "Time to answer a Stripe webhook delivery.", advice: Seconds);
        _stripeRequests = meter.CreateCounter<long>(StripeRequests, "{request}", "HTTP requests (each attempt) to the Stripe API by operation and status.");
        _stripeDuration = meter.CreateHistogram<double>(StripeRequestDuration, "s", "Duration of each HTTP request to the Stripe API.", advice: Seconds);
        meter.CreateObservableGauge(ReconciliationLag, () => LagSeconds(services.GetService<Reconciler>(), clock), "s",
            "How far behind now the last finished catch-up with Stripe's event log reaches; absent before the first one.");
        meter.CreateObservableGauge(UnmatchedPayments, () => services.GetService<IUnmatchedPaymentLog>() is { } log ? [new Measurement<long>(Wait(log.ListAsync(CancellationToken.None)).Count)] : Array.Empty<Measurement<long>>(), "{event}",
            "Verified payment events no learner could be found for (data/unmatched).");
    }

    public void WebhookHandled(string type, WebhookOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { TypeTag, type }, { OutcomeTag, outcome.Tag() } };
        _webhookEvents.Add(1, tags);
        _webhookDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void StripeRequest(string operation, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { OperationTag, operation }, { StatusTag, status } };
        _stripeRequests.Add(1, tags);
        _stripeDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Gauges are read synchronously by the exporter, once per scrape; the store's reads
    /// are async, so the scrape waits for them (a small read, off any request path).</summary>
    private static T Wait<T>(Task<T> read) => read.GetAwaiter().GetResult();

    /// <summary>Nothing to report without billing services (a container holding only the Stripe client).</summary>
    private static IEnumerable<Measurement<double>> LagSeconds(Reconciler? reconciler, TimeProvider clock) =>
        reconciler is not null && Wait(reconciler.ReadCursorAsync(CancellationToken.None)).CompleteThrough is { } through
            ? [new Measurement<double>(Math.Max(0, (clock.GetUtcNow() - through).TotalSeconds))]
            : [];
}

/// <summary>What became of one webhook delivery (the <c>outcome</c> tag).</summary>
public enum WebhookOutcome
{
    Applied,
    AlreadyApplied,
    Unmatched,
    Ignored,

    /// <summary>Refused: signature, size or body (4xx); nothing changed.</summary>
    Rejected,

    /// <summary>Verified but not stored (storage failing, or no webhook secret configured): 5xx, Stripe retries.</summary>
    Failed,
}

public static class WebhookOutcomes
{
    public static string Tag(this WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Applied => "applied",
        WebhookOutcome.AlreadyApplied => "already_applied",
        WebhookOutcome.Unmatched => "unmatched",
        WebhookOutcome.Ignored => "ignored",
        WebhookOutcome.Rejected => "rejected",
        _ => "failed",
    };

    public static WebhookOutcome Of(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Applied => WebhookOutcome.Applied,
        ApplyOutcome.AlreadyApplied => WebhookOutcome.AlreadyApplied,
        _ => WebhookOutcome.Unmatched,
    };
}
