using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Http;
using TutorClaw.Mcp.Telemetry;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// POST /webhook (SPEC §5): raw body, signature first, then parsing, then the shared fulfilment
/// path; 200 only once the effect is on disk. Nothing here logs the body or the signature header.
/// </summary>
public static partial class WebhookEndpoints
{
    public static IServiceCollection AddStripeWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<StripeSignatureVerifier>();
        return services;
    }

    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhook", ReceiveAsync).DisableAntiforgery().AddEndpointFilter<WebhookMetricsFilter>();
        return endpoints;
    }

    private static async Task<Results<Ok<WebhookReply>, BadRequest<WebhookReply>, JsonHttpResult<WebhookReply>>> ReceiveAsync(
        HttpRequest request,
        StripeSignatureVerifier verifier,
        PaymentEventApplier applier,
        IOptions<StripeOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(WebhookEndpoints).FullName!);
        if (!options.Value.CanVerifyWebhooks)
        {
            return Reply(StatusCodes.Status503ServiceUnavailable, "STRIPE_WEBHOOK_SECRET is not set on this server, so events cannot be verified.");
        }
        var body = await BoundedBody.ReadAsync(request, WebhookBody.MaxBytes, cancellationToken);
        if (body is null)
        {
            return Reply(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {WebhookBody.MaxBytes} bytes.");
        }
        var signature = verifier.Verify(body, request.Headers["Stripe-Signature"].ToString(), out var json);
        if (!signature.IsValid || json is null)
        {
            LogRejected(logger, signature.Reason);
            return TypedResults.BadRequest(new WebhookReply(false, signature.Reason));
        }

        switch (StripeEventTranslator.Parse(json))
        {
            case ParsedEvent.Malformed malformed:
                LogRejected(logger, malformed.Reason);
                return TypedResults.BadRequest(new WebhookReply(false, malformed.Reason));
            case ParsedEvent.Ignored ignored:
                LogIgnored(logger, ignored.Type, ignored.EventId);
                WebhookMetricsFilter.Note(request.HttpContext, ignored.Type, WebhookOutcome.Ignored);
                return TypedResults.Ok(new WebhookReply(true, "ignored: not an event type this server acts on"));
            case ParsedEvent.Handled { Livemode: false } testEvent when options.Value.Mode == StripeMode.Live:
                // A test-mode payment is not money. Reaching a live server it means a forwarding or
                // secret mix-up; granting access for it would give the paid tier away.
                LogTestEventOnLiveServer(logger, testEvent.Event.Type, testEvent.Event.EventId ?? "");
                WebhookMetricsFilter.Note(request.HttpContext, testEvent.Event.Type, WebhookOutcome.Ignored);
                return TypedResults.Ok(new WebhookReply(true, "ignored: a test-mode event sent to a live-mode server"));
            case ParsedEvent.Handled handled:
                if (handled.ApiVersion is { } version && version != StripeOptions.PinnedApiVersion)
                {
                    LogOtherApiVersion(logger, handled.Event.EventId ?? "", version);
                }
                try
                {
                    var outcome = await applier.ApplyAsync(handled.Event, cancellationToken);
                    WebhookMetricsFilter.Note(request.HttpContext, handled.Event.Type, WebhookOutcomes.Of(outcome));
                    return TypedResults.Ok(new WebhookReply(true, outcome.Describe()));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    // Not stored, so not acknowledged: Stripe redelivers until storage works again.
                    LogNotStored(logger, handled.Event.Type, handled.Event.EventId ?? "", e.GetType().Name);
                    return Reply(StatusCodes.Status500InternalServerError, "The event could not be stored; it will be applied when Stripe retries.");
                }
            default:
                throw new InvalidOperationException("Unhandled parse result.");
        }
    }

    private static JsonHttpResult<WebhookReply> Reply(int status, string detail) =>
        TypedResults.Json(new WebhookReply(false, detail), statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe event {EventType} {EventId} ignored")]
    private static partial void LogIgnored(ILogger logger, string eventType, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} is rendered in API version {ApiVersion}; reading only the fields we use")]
    private static partial void LogOtherApiVersion(ILogger logger, string eventId, string apiVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventType} {EventId} is a test-mode event but this server runs in LIVE mode; ignored")]
    private static partial void LogTestEventOnLiveServer(ILogger logger, string eventType, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventType} {EventId} could not be stored ({Error}); answering 500 so Stripe retries")]
    private static partial void LogNotStored(ILogger logger, string eventType, string eventId, string error);
}
