using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// <see cref="IStripeApi"/> over Stripe's REST wire (shared/stripe/checkout-session-create.md):
/// Bearer key, pinned <c>Stripe-Version</c>, form-encoded bodies, an <c>Idempotency-Key</c> on every
/// POST kept across retries, bounded retries (<see cref="StripeRetryPolicy"/>) and a timeout per
/// attempt. Every outcome comes back as a <see cref="StripeResult{T}"/>; HTTP types and HTTP
/// exceptions stay in here. Only the caller's own cancellation surfaces, as
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class StripeRestClient : IStripeApi
{
    public const string UserAgent = "TutorClaw/1.0";
    private const string FormMediaType = "application/x-www-form-urlencoded";

    private readonly HttpClient _http;
    private readonly StripeOptions _options;
    private readonly ILogger<StripeRestClient> _logger;
    private readonly ResiliencePipeline<StripeAnswer> _pipeline;

    public StripeRestClient(HttpClient http, IOptions<StripeOptions> options, ILogger<StripeRestClient> logger)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
        _http.BaseAddress = BaseAddressOf(_options.ApiBase);
        // Each attempt has its own timeout in the pipeline; HttpClient's would cut across retries.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _pipeline = StripeRetryPolicy.Build(_options, logger);
    }

    public Task<StripeResult<CheckoutSession>> CreateCheckoutSessionAsync(
        CheckoutSessionRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfBadIdempotencyKey(idempotencyKey);
        var form = StripeFormEncoder.Encode(StripeRequestParameters.ForCheckoutSession(request));
        var call = new StripeCall(HttpMethod.Post, "v1/checkout/sessions", null, form, idempotencyKey);
        return SendAsync(call, StripeJson.ReadCheckoutSession, cancellationToken);
    }

    public Task<StripeResult<CheckoutSession>> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var call = new StripeCall(HttpMethod.Get, $"v1/checkout/sessions/{Uri.EscapeDataString(sessionId)}", null, null, null);
        return SendAsync(call, StripeJson.ReadCheckoutSession, cancellationToken);
    }

    public Task<StripeResult<CheckoutSession>> ExpireCheckoutSessionAsync(
        string sessionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ThrowIfBadIdempotencyKey(idempotencyKey);
        var call = new StripeCall(
            HttpMethod.Post, $"v1/checkout/sessions/{Uri.EscapeDataString(sessionId)}/expire", null, "", idempotencyKey);
        return SendAsync(call, StripeJson.ReadCheckoutSession, cancellationToken);
    }

    public Task<StripeResult<EventPage>> ListEventsAsync(EventListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var queryString = StripeFormEncoder.Encode(StripeRequestParameters.ForEventList(query));
        var call = new StripeCall(HttpMethod.Get, "v1/events", queryString, null, null);
        return SendAsync(call, StripeJson.ReadEventPage, cancellationToken);
    }

    /// <summary>The API base as a directory (trailing slash), so relative paths keep any prefix.</summary>
    internal static Uri BaseAddressOf(Uri apiBase)
    {
        var text = apiBase.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    private async Task<StripeResult<T>> SendAsync<T>(
        StripeCall call, Func<string, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        if (_options.SecretKey is not { } secretKey || !IsSendableHeaderValue(secretKey))
        {
            StripeClientLog.NotSent(_logger, call.Route);
            return StripeResult<T>.Fail(_options.SecretKey is null ? StripeFailures.NotConfigured() : StripeFailures.KeyNotSendable());
        }

        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StripeRetryPolicy.RouteKey, call.Route);
        StripeFailure failure;
        try
        {
            var answer = await _pipeline.ExecuteAsync(
                ctx => SendOnceAsync(call, secretKey, ++attempts, ctx.CancellationToken), context);
            if (answer.IsSuccess)
            {
                if (read(answer.Body) is { } value)
                {
                    return StripeResult<T>.Ok(value);
                }
                failure = StripeFailures.Unreadable(answer, attempts);
            }
            else
            {
                failure = StripeFailures.FromAnswer(answer, attempts, secretKey);
            }
        }
        catch (TimeoutRejectedException)
        {
            failure = StripeFailures.Timeout(_options.RequestTimeout, attempts);
        }
        catch (Exception exception) when (StripeRetryPolicy.IsConnectionError(exception) && !cancellationToken.IsCancellationRequested)
        {
            failure = StripeFailures.Unreachable(attempts);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        StripeClientLog.Failed(_logger, call.Route, failure.Kind, failure.HttpStatus, failure.RequestId, failure.Attempts);
        return StripeResult<T>.Fail(failure);
    }

    private async ValueTask<StripeAnswer> SendOnceAsync(
        StripeCall call, string secretKey, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(call.Method, call.RelativeUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Add("Stripe-Version", StripeOptions.PinnedApiVersion);
        if (call.IdempotencyKey is { } idempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (call.Form is { } form)
        {
            request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(FormMediaType);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = new StripeAnswer(
            (int)response.StatusCode, body, FirstHeader(response, "Request-Id"), ShouldRetryHeader(response));
        StripeClientLog.Answered(_logger, call.Route, answer.Status, answer.RequestId, attempt);
        return answer;
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool? ShouldRetryHeader(HttpResponseMessage response) =>
        FirstHeader(response, "Stripe-Should-Retry")?.Trim() switch
        {
            { } value when value.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            { } value when value.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => null,
        };

    /// <summary>Visible ASCII only: anything else (a pasted newline, say) cannot go in a header.</summary>
    private static bool IsSendableHeaderValue(string value) =>
        value.Length > 0 && value.All(c => c is > ' ' and < (char)0x7F);

    private static void ThrowIfBadIdempotencyKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (idempotencyKey.Length > 255 || !IsSendableHeaderValue(idempotencyKey))
        {
            throw new ArgumentException(
                "An Idempotency-Key is 1 to 255 visible ASCII characters.", nameof(idempotencyKey));
        }
    }
}
