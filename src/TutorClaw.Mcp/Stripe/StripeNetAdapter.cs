using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// <see cref="IStripeApi"/> over Stripe.net's <see cref="StripeClient"/>: the library sends the
/// requests, pins the API version, retries (one Idempotency-Key across its retries, honouring
/// <c>Stripe-Should-Retry</c>) and pages. This class only maps our requests to its options, its
/// objects to ours, and every <see cref="StripeException"/>, <see cref="HttpRequestException"/> and
/// timeout to a <see cref="StripeFailure"/>, logging one line per failed call. Only the caller's
/// own cancellation surfaces, as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class StripeNetAdapter(
    StripeClient client, IOptions<StripeOptions> options, ILogger<StripeNetAdapter> logger) : IStripeApi
{
    private readonly StripeOptions _options = options.Value;

    public Task<StripeResult<CheckoutSession>> CreateCheckoutSessionAsync(
        CheckoutSessionRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfBadIdempotencyKey(idempotencyKey);
        var subscription = request.Mode == CheckoutMode.Subscription;
        if (subscription && string.IsNullOrEmpty(request.CustomerId))
        {
            throw new ArgumentException("A subscription-mode session is made for a customer.", nameof(request));
        }
        var create = new SessionCreateOptions
        {
            Mode = subscription ? "subscription" : "payment",
            LineItems = [new SessionLineItemOptions { Price = request.PriceId, Quantity = request.Quantity }],
            // Sent as given: {CHECKOUT_SESSION_ID} is Stripe's template, not ours to fill.
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            ClientReferenceId = request.ClientReferenceId,
            Metadata = new Dictionary<string, string>(request.Metadata),
            Customer = subscription ? request.CustomerId : null,
            SubscriptionData = subscription
                ? new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string>(request.SubscriptionMetadata ?? request.Metadata) }
                : null,
            PaymentIntentData = subscription
                ? null
                : new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(request.PaymentIntentMetadata) },
        };
        return CallAsync(
            "create checkout session",
            requestOptions => client.V1.Checkout.Sessions.CreateAsync(create, requestOptions, cancellationToken),
            idempotencyKey,
            cancellationToken);
    }

    public Task<StripeResult<CheckoutSession>> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return CallAsync(
            "retrieve checkout session",
            requestOptions => client.V1.Checkout.Sessions.GetAsync(sessionId, null, requestOptions, cancellationToken),
            null,
            cancellationToken);
    }

    public Task<StripeResult<CheckoutSession>> ExpireCheckoutSessionAsync(
        string sessionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ThrowIfBadIdempotencyKey(idempotencyKey);
        return CallAsync(
            "expire checkout session",
            requestOptions => client.V1.Checkout.Sessions.ExpireAsync(sessionId, null, requestOptions, cancellationToken),
            idempotencyKey,
            cancellationToken);
    }

    public Task<StripeResult<StripePrice>> GetPriceAsync(string priceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(priceId);
        return CallAsync(
            "retrieve price",
            requestOptions => client.V1.Prices.GetAsync(priceId, null, requestOptions, cancellationToken),
            price => price?.Id is { Length: > 0 } id
                ? new StripePrice(id, price.Type == "recurring" || price.Recurring is not null, price.Active)
                : null,
            price => price?.StripeResponse?.RequestId,
            null,
            cancellationToken);
    }

    public Task<StripeResult<StripeCustomer>> CreateCustomerAsync(
        string? name, IReadOnlyDictionary<string, string> metadata, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ThrowIfBadIdempotencyKey(idempotencyKey);
        var create = new CustomerCreateOptions
        {
            Name = string.IsNullOrWhiteSpace(name) ? null : name,
            Metadata = new Dictionary<string, string>(metadata),
        };
        return CallAsync(
            "create customer",
            requestOptions => client.V1.Customers.CreateAsync(create, requestOptions, cancellationToken),
            customer => customer?.Id is { Length: > 0 } id ? new StripeCustomer(id) : null,
            customer => customer?.StripeResponse?.RequestId,
            idempotencyKey,
            cancellationToken);
    }

    public Task<StripeResult<InvoicePayments>> ListInvoicePaymentsAsync(string invoiceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(invoiceId);
        var list = new InvoicePaymentListOptions { Invoice = invoiceId, Status = "paid" };
        return CallAsync(
            "list invoice payments",
            requestOptions => client.V1.InvoicePayments.ListAsync(list, requestOptions, cancellationToken),
            payments => payments?.Data is { } data
                ? new InvoicePayments(
                    [.. data.Select(p => p.Payment?.PaymentIntentId).OfType<string>().Where(id => id.Length > 0).Distinct()],
                    [.. data.Select(p => p.Payment?.ChargeId).OfType<string>().Where(id => id.Length > 0).Distinct()])
                : null,
            payments => payments?.StripeResponse?.RequestId,
            null,
            cancellationToken);
    }

    public Task<StripeResult<BillingPortalSession>> CreateBillingPortalSessionAsync(
        string customerId, string returnUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(returnUrl);
        var create = new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl };
        return CallAsync(
            "create billing portal session",
            requestOptions => client.V1.BillingPortal.Sessions.CreateAsync(create, requestOptions, cancellationToken),
            session => session?.Id is { Length: > 0 } id && session.Url is { Length: > 0 } url ? new BillingPortalSession(id, url) : null,
            session => session?.StripeResponse?.RequestId,
            null,
            cancellationToken);
    }

    public async IAsyncEnumerable<StripeResult<Event>> ListEventsAsync(
        EventListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string operation = "list events";
        if (NotSendable(operation) is { } refused)
        {
            yield return StripeResult<Event>.Fail(refused);
            yield break;
        }
        var list = new EventListOptions
        {
            Types = [.. query.Types],
            Created = query.CreatedAtOrAfter is { } after ? new DateRangeOptions { GreaterThanOrEqual = after.UtcDateTime } : null,
            StartingAfter = string.IsNullOrEmpty(query.StartingAfter) ? null : query.StartingAfter,
            Limit = query.Limit,
        };
        var events = client.V1.Events.ListAutoPagingAsync(list, null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                StripeFailure? failure = null;
                var more = false;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (ToFailure(exception, cancellationToken) is { } known)
                {
                    failure = known;
                }
                if (failure is not null)
                {
                    LogFailed(operation, failure.Kind, failure.HttpStatus, failure.RequestId, failure.Attempts, failure.Message);
                    yield return StripeResult<Event>.Fail(failure);
                    yield break;
                }
                if (!more)
                {
                    yield break;
                }
                yield return StripeResult<Event>.Ok(events.Current);
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<StripeResult<CheckoutSession>> CallAsync(
        string operation,
        Func<RequestOptions, Task<Session>> call,
        string? idempotencyKey,
        CancellationToken cancellationToken) =>
        CallAsync(operation, call, ToCheckoutSession, session => session?.StripeResponse?.RequestId, idempotencyKey, cancellationToken);

    private async Task<StripeResult<TOurs>> CallAsync<TStripe, TOurs>(
        string operation,
        Func<RequestOptions, Task<TStripe>> call,
        Func<TStripe?, TOurs?> map,
        Func<TStripe?, string?> requestId,
        string? idempotencyKey,
        CancellationToken cancellationToken)
        where TOurs : class
    {
        if (NotSendable(operation) is { } refused)
        {
            return StripeResult<TOurs>.Fail(refused);
        }
        StripeFailure failure;
        try
        {
            var answer = await call(new RequestOptions { IdempotencyKey = idempotencyKey }).ConfigureAwait(false);
            if (map(answer) is { } value)
            {
                return StripeResult<TOurs>.Ok(value);
            }
            failure = StripeFailures.Unreadable(200, requestId(answer), 1);
        }
        catch (Exception exception) when (ToFailure(exception, cancellationToken) is { } known)
        {
            failure = known;
        }
        LogFailed(operation, failure.Kind, failure.HttpStatus, failure.RequestId, failure.Attempts, failure.Message);
        return StripeResult<TOurs>.Fail(failure);
    }

    /// <summary>What a thrown exception means, or null for one this class does not handle (the
    /// caller's own cancellation, a bug).</summary>
    private StripeFailure? ToFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        StripeException stripe => StripeFailures.FromException(stripe, AttemptsFor(stripe), _options.SecretKey),
        // Stripe.net retries connection errors and per-attempt timeouts until its retries run out.
        HttpRequestException => StripeFailures.Unreachable(_options.MaxNetworkRetries + 1),
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            StripeFailures.Timeout(_options.RequestTimeout, _options.MaxNetworkRetries + 1),
        _ => null,
    };

    /// <summary>Stripe.net retried the statuses it retries (409, 5xx, or whatever
    /// <c>Stripe-Should-Retry</c> said) until its retries ran out; others were tried once.</summary>
    private int AttemptsFor(StripeException exception)
    {
        var retried = exception.StripeResponse?.Headers is { } headers
            && headers.TryGetValues("Stripe-Should-Retry", out var values)
            ? values.FirstOrDefault() == "true"
            : (int)exception.HttpStatusCode is 409 or >= 500;
        return retried ? _options.MaxNetworkRetries + 1 : 1;
    }

    private StripeFailure? NotSendable(string operation)
    {
        var failure = _options.SecretKey switch
        {
            null => StripeFailures.NotConfigured(),
            { } key when !StripeServices.IsSendableKey(key) => StripeFailures.KeyNotSendable(),
            _ => null,
        };
        if (failure is not null)
        {
            LogNotSent(operation);
        }
        return failure;
    }

    private static CheckoutSession? ToCheckoutSession(Session? session) => session?.Id is not { Length: > 0 } id
        ? null
        : new CheckoutSession(
            id,
            session.Url,
            session.Status ?? "",
            session.PaymentStatus ?? "",
            Instant(session.ExpiresAt),
            Instant(session.Created),
            session.PaymentIntentId,
            session.ClientReferenceId,
            session.Metadata is { } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : new Dictionary<string, string>(),
            session.AmountTotal,
            session.Currency,
            session.Mode ?? "payment");

    /// <summary>Stripe.net reads a missing time as <see cref="DateTime"/>'s default.</summary>
    internal static DateTimeOffset? Instant(DateTime value) =>
        value == default ? null : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static void ThrowIfBadIdempotencyKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (idempotencyKey.Length > 255 || !StripeServices.IsSendableKey(idempotencyKey))
        {
            throw new ArgumentException(
                "An Idempotency-Key is 1 to 255 visible ASCII characters.", nameof(idempotencyKey));
        }
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Stripe call failed: {Operation}: {Kind}, status {Status}, request {RequestId}, after {Attempts} attempt(s): {Detail}")]
    private partial void LogFailed(string operation, StripeFailureKind kind, int? status, string? requestId, int attempts, string detail);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "Stripe call not sent: {Operation}: STRIPE_SECRET_KEY is not set or cannot be sent as a header")]
    private partial void LogNotSent(string operation);
}
