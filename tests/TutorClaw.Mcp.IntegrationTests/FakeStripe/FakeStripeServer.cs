using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>
/// An in-process Stripe on a real Kestrel port (http://127.0.0.1:&lt;random&gt;), speaking Stripe's
/// wire format (shared/stripe/README.md, checkout-session-create.md) for the endpoints TutorClaw
/// uses: create / retrieve / expire Checkout Sessions (mode=payment and mode=subscription), retrieve
/// prices (one-time and recurring), create customers, list an invoice's payments, create billing
/// portal sessions and list events. Stateful, idempotent like Stripe, scriptable for failures, and
/// it records every request it receives.
/// </summary>
/// <remarks>
/// Order of handling: every request is recorded; while <see cref="Hang"/> is true it is never
/// answered; otherwise the next scripted answer (<see cref="EnqueueResponse"/>) is sent if there
/// is one, whatever the endpoint; otherwise the normal behaviour: key check (401), Stripe-Version
/// check (400), Idempotency-Key replay/mismatch for POSTs, then the endpoint. Sessions whose
/// <c>expires_at</c> has passed by <see cref="Now"/> read as expired. Price lookups
/// (<c>GET /v1/prices/{id}</c>) are configuration reads the server makes once, in the background at
/// startup: they never take a scripted answer and are answered even while hanging, so a test's
/// script and hang apply to the calls it makes; a price's answer is set with <see cref="AddPrice"/>.
/// </remarks>
public sealed class FakeStripeServer : IAsyncDisposable
{
    /// <summary>Echoed as <c>Stripe-Version</c> when a request sent none.</summary>
    public const string DefaultApiVersion = "2026-10-28.endive";

    public const long AmountTotal = 1900;
    public const string Currency = "usd";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly string _expectedSecretKey;
    private readonly Dictionary<string, (bool Recurring, bool Active)> _prices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeCustomer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _invoicePayments = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<FakeReply> _script = new();
    private int _portalSessions;
    private readonly Dictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Method, string Path, string Body, FakeReply Reply)> _idempotent = new(StringComparer.Ordinal);
    private readonly List<FakeEvent> _events = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebApplication _app;
    private int _requestCount;
    private int _sessionCount;
    private long _eventCount;
    private volatile bool _hang;
    private int _disposed;

    private FakeStripeServer(string expectedSecretKey, IEnumerable<string> knownPriceIds)
    {
        _expectedSecretKey = expectedSecretKey;
        foreach (var price in knownPriceIds)
        {
            _prices[price] = (Recurring: false, Active: true);
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeStripeServer).Assembly.GetName().Name,
            EnvironmentName = "FakeStripe",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>Where the fake listens, e.g. <c>http://127.0.0.1:40123/</c>; use it as STRIPE_API_BASE.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The fake's clock for <c>created</c> and <c>expires_at</c>; real UTC time unless a test sets it.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>While true, requests are recorded but never answered (until the client gives up or
    /// the server is disposed).</summary>
    public bool Hang
    {
        get => _hang;
        set => _hang = value;
    }

    /// <summary>Every request received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every Checkout Session created so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<CheckoutSessionSnapshot> Sessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessions.Values.Select(Refresh).OrderBy(s => s.Created).ThenBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Snapshot())];
            }
        }
    }

    /// <summary>Every customer created so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeCustomer> Customers
    {
        get
        {
            lock (_gate)
            {
                return [.. _customers.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds (or replaces) a price: one-time (sold with mode=payment) or recurring, monthly
    /// (mode=subscription); an archived price is <paramref name="active"/> false. The prices given to
    /// <see cref="StartAsync"/> are one-time.</summary>
    public void AddPrice(string priceId, bool recurring, bool active = true)
    {
        lock (_gate)
        {
            _prices[priceId] = (recurring, active);
        }
    }

    /// <summary>Adds a customer made elsewhere (the Dashboard, an earlier run).</summary>
    public void AddCustomer(string customerId)
    {
        lock (_gate)
        {
            _customers[customerId] = new FakeCustomer(customerId, null, null, new Dictionary<string, string>(), null);
        }
    }

    /// <summary>Records that <paramref name="paymentIntentId"/> paid <paramref name="invoiceId"/>
    /// (an InvoicePayment with status paid), for GET /v1/invoice_payments?invoice=….</summary>
    public void AddInvoicePayment(string invoiceId, string paymentIntentId)
    {
        lock (_gate)
        {
            if (!_invoicePayments.TryGetValue(invoiceId, out var list))
            {
                _invoicePayments[invoiceId] = list = [];
            }
            list.Add(paymentIntentId);
        }
    }

    public static async Task<FakeStripeServer> StartAsync(string expectedSecretKey, params string[] knownPriceIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedSecretKey);
        var server = new FakeStripeServer(expectedSecretKey, knownPriceIds);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Scripts the answer to the next request not yet answered (any endpoint), ahead of
    /// normal behaviour; several calls queue in order. A null body on a 4xx/5xx becomes a Stripe
    /// <c>api_error</c> body; on other statuses, no body. Headers are added to (and override) the
    /// usual <c>Request-Id</c>/<c>Stripe-Version</c>.</summary>
    public void EnqueueResponse(int status, string? jsonBody = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var body = jsonBody ?? (status >= 400 ? ErrorJson("api_error", $"Scripted HTTP {status} from the fake Stripe.") : null);
        lock (_gate)
        {
            _script.Enqueue(new FakeReply(status, body, headers));
        }
    }

    /// <summary>Stripe's error body: <c>{"error":{"type","code","message","param"}}</c> (code and param only when given).</summary>
    public static string ErrorJson(string type, string message, string? code = null, string? param = null)
    {
        var error = new JsonObject { ["type"] = type };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}";
        }
        error["message"] = message;
        if (param is not null)
        {
            error["param"] = param;
        }
        return new JsonObject { ["error"] = error }.ToJsonString(JsonOptions);
    }

    /// <summary>What the learner's payment did: the session becomes complete (paid or, for a
    /// delayed method, unpaid) with its PaymentIntent, and its url goes away.</summary>
    public void CompleteSession(string sessionId, string paymentIntentId, bool paid = true)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                throw new InvalidOperationException($"The fake Stripe has no session '{sessionId}'.");
            }
            session.Status = "complete";
            session.PaymentStatus = paid ? "paid" : "unpaid";
            session.PaymentIntentId = paymentIntentId;
        }
    }

    /// <summary>The session as the fake holds it now, or null if there is none with that id.</summary>
    public CheckoutSessionSnapshot? GetSession(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var session) ? Refresh(session).Snapshot() : null;
        }
    }

    /// <summary>Adds an event for GET /v1/events; the raw JSON is served exactly as given.
    /// It must have a string <c>id</c>, a string <c>type</c> and a numeric <c>created</c>.</summary>
    public void AddEvent(string rawEventJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(rawEventJson);
        string id;
        string type;
        long created;
        using (var document = JsonDocument.Parse(rawEventJson))
        {
            var root = document.RootElement;
            id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String
                ? idValue.GetString()! : throw new ArgumentException("The event has no string 'id'.", nameof(rawEventJson));
            type = root.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String
                ? typeValue.GetString()! : throw new ArgumentException("The event has no string 'type'.", nameof(rawEventJson));
            created = root.TryGetProperty("created", out var createdValue) && createdValue.TryGetInt64(out var seconds)
                ? seconds : throw new ArgumentException("The event has no numeric 'created'.", nameof(rawEventJson));
        }
        lock (_gate)
        {
            if (_events.Any(e => e.Id == id))
            {
                throw new ArgumentException($"The fake Stripe already has an event '{id}'.", nameof(rawEventJson));
            }
            _events.Add(new FakeEvent(++_eventCount, id, type, created, rawEventJson));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var recorded = await RecordAsync(http);
        int number;
        FakeReply? scripted = null;
        var hang = _hang && !recorded.IsPriceLookup;
        lock (_gate)
        {
            _requests.Add(recorded);
            number = ++_requestCount;
            if (!hang && !recorded.IsPriceLookup)
            {
                _script.TryDequeue(out scripted);
            }
        }
        if (hang)
        {
            await HangAsync(http);
            return;
        }
        var reply = scripted ?? Dispatch(recorded);
        await WriteAsync(http, recorded, reply, number);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext http)
    {
        var request = http.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }
        var headers = request.Headers.ToDictionary(
            h => h.Key, h => string.Join(", ", h.Value.ToArray()), StringComparer.OrdinalIgnoreCase);
        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        return new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            headers,
            body,
            isForm ? FormText.Decode(body) : []);
    }

    private async Task HangAsync(HttpContext http)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the fake is shutting down; either way, no answer.
        }
        http.Abort();
    }

    private static async Task WriteAsync(HttpContext http, RecordedRequest request, FakeReply reply, int number)
    {
        var response = http.Response;
        response.StatusCode = reply.Status;
        response.Headers["Request-Id"] = $"req_fake_{number.ToString("D6", CultureInfo.InvariantCulture)}";
        response.Headers["Stripe-Version"] = request.Header("Stripe-Version") ?? DefaultApiVersion;
        if (request.Header("Idempotency-Key") is { } key)
        {
            response.Headers["Idempotency-Key"] = key;
        }
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }
        if (reply.Body is not null)
        {
            response.ContentType = "application/json";
            await response.WriteAsync(reply.Body, http.RequestAborted);
        }
    }

    private FakeReply Dispatch(RecordedRequest request)
    {
        if (Authenticate(request) is { } denied)
        {
            return denied;
        }
        if (string.IsNullOrEmpty(request.Header("Stripe-Version")))
        {
            return Error(400, "invalid_request_error", "The fake Stripe requires a Stripe-Version header on every request.");
        }
        var segments = request.Path.Trim('/').Split('/');
        lock (_gate)
        {
            return (request.Method, segments) switch
            {
                ("POST", ["v1", "checkout", "sessions"]) => Idempotently(request, () => CreateSession(request)),
                ("GET", ["v1", "checkout", "sessions", var id]) => RetrieveSession(id),
                ("POST", ["v1", "checkout", "sessions", var id, "expire"]) => Idempotently(request, () => ExpireSession(id)),
                ("GET", ["v1", "events"]) => ListEvents(request),
                ("POST", ["v1", "billing_portal", "sessions"]) => CreatePortalSession(request),
                ("GET", ["v1", "prices", var id]) => RetrievePrice(id),
                ("POST", ["v1", "customers"]) => Idempotently(request, () => CreateCustomer(request)),
                ("GET", ["v1", "invoice_payments"]) => ListInvoicePayments(request),
                _ => Error(404, "invalid_request_error", $"Unrecognized request URL ({request.Method}: {request.Path})."),
            };
        }
    }

    private FakeReply? Authenticate(RecordedRequest request)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Error(401, "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        var key = authorization["Bearer ".Length..];
        // Like Stripe, the message repeats part of the key: clients must not pass it on.
        return key == _expectedSecretKey ? null : Error(401, "invalid_request_error", $"Invalid API Key provided: {Mask(key)}");
    }

    /// <summary>Stripe stores the answer of a POST that ran and replays it for the same key and
    /// parameters; the same key with other parameters is an idempotency_error. Requests refused
    /// before running (validation errors) are not stored.</summary>
    private FakeReply Idempotently(RecordedRequest request, Func<FakeReply> run)
    {
        if (request.Header("Idempotency-Key") is not { Length: > 0 } key)
        {
            return run();
        }
        if (_idempotent.TryGetValue(key, out var stored))
        {
            if (stored.Method == request.Method && stored.Path == request.Path && stored.Body == request.Body)
            {
                var headers = new Dictionary<string, string>(stored.Reply.Headers ?? new Dictionary<string, string>())
                {
                    ["Idempotent-Replayed"] = "true",
                };
                return stored.Reply with { Headers = headers };
            }
            return Error(400, "idempotency_error",
                $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
        }
        var reply = run();
        if (reply.IsSuccess)
        {
            _idempotent[key] = (request.Method, request.Path, request.Body, reply);
        }
        return reply;
    }

    private FakeReply CreateSession(RecordedRequest request)
    {
        var mode = request.FormValue("mode");
        if (mode is null)
        {
            return Error(400, "invalid_request_error", "Missing required param: mode.", "parameter_missing", "mode");
        }
        if (mode is not ("payment" or "subscription"))
        {
            return Error(400, "invalid_request_error", $"The fake Stripe only supports mode=payment and mode=subscription, not '{mode}'.", "parameter_invalid", "mode");
        }
        if (request.FormValue("line_items[0][price]") is not { Length: > 0 } priceId)
        {
            return Error(400, "invalid_request_error", "Missing required param: line_items.", "parameter_missing", "line_items");
        }
        if (!_prices.TryGetValue(priceId, out var price))
        {
            return Error(400, "invalid_request_error", $"No such price: '{priceId}'", "resource_missing", "line_items[0][price]");
        }
        // Stripe's own rules: a recurring price needs mode=subscription, a one-time one mode=payment.
        if (price.Recurring != (mode == "subscription"))
        {
            return Error(400, "invalid_request_error", price.Recurring
                ? "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices."
                : "You must provide at least one recurring price in `subscription` mode when using prices.", "parameter_invalid", "line_items[0][price]");
        }
        var customer = request.FormValue("customer");
        if (customer is not null && !_customers.ContainsKey(customer))
        {
            return Error(400, "invalid_request_error", $"No such customer: '{customer}'", "resource_missing", "customer");
        }
        if (mode == "subscription" && request.Form.Any(f => f.Key.StartsWith("payment_intent_data[", StringComparison.Ordinal)))
        {
            return Error(400, "invalid_request_error", "You can not pass `payment_intent_data` in `subscription` mode.", "parameter_invalid", "payment_intent_data");
        }
        var quantityText = request.FormValue("line_items[0][quantity]");
        if (quantityText is null)
        {
            return Error(400, "invalid_request_error", "Missing required param: line_items[0][quantity].", "parameter_missing", "line_items[0][quantity]");
        }
        if (!int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity < 1)
        {
            return Error(400, "invalid_request_error", $"Invalid integer: {quantityText}", "parameter_invalid_integer", "line_items[0][quantity]");
        }

        var now = Now();
        var created = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var session = new FakeSession
        {
            Id = $"cs_test_fake_{(++_sessionCount).ToString(CultureInfo.InvariantCulture)}",
            PriceId = priceId,
            Quantity = quantity,
            SuccessUrl = request.FormValue("success_url"),
            CancelUrl = request.FormValue("cancel_url"),
            ClientReferenceId = request.FormValue("client_reference_id"),
            Metadata = Nested(request.Form, "metadata["),
            PaymentIntentMetadata = Nested(request.Form, "payment_intent_data[metadata]["),
            Mode = mode,
            CustomerId = customer,
            SubscriptionMetadata = Nested(request.Form, "subscription_data[metadata]["),
            Created = created,
            ExpiresAt = created.AddHours(24),
            IdempotencyKey = request.Header("Idempotency-Key"),
        };
        _sessions.Add(session.Id, session);
        return new FakeReply(200, SessionJson(session));
    }

    private FakeReply RetrievePrice(string id)
    {
        if (!_prices.TryGetValue(id, out var price))
        {
            return Error(404, "invalid_request_error", $"No such price: '{id}'", "resource_missing", "price");
        }
        var json = new JsonObject
        {
            ["id"] = id,
            ["object"] = "price",
            ["active"] = price.Active,
            ["currency"] = Currency,
            ["livemode"] = false,
            ["product"] = "prod_fake_tutorclaw",
            ["recurring"] = price.Recurring
                ? new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed", ["meter"] = null }
                : null,
            ["type"] = price.Recurring ? "recurring" : "one_time",
            ["unit_amount"] = AmountTotal,
        };
        return new FakeReply(200, json.ToJsonString(JsonOptions));
    }

    private FakeReply CreateCustomer(RecordedRequest request)
    {
        var customer = new FakeCustomer(
            $"cus_fake_{(_customers.Values.Count(c => c.IdempotencyKey is not null || c.Metadata.Count > 0) + 1).ToString("D4", CultureInfo.InvariantCulture)}",
            request.FormValue("name"),
            request.FormValue("email"),
            Nested(request.Form, "metadata["),
            request.Header("Idempotency-Key"));
        _customers.Add(customer.Id, customer);
        var metadata = new JsonObject();
        foreach (var (key, value) in customer.Metadata)
        {
            metadata[key] = value;
        }
        return new FakeReply(200, new JsonObject
        {
            ["id"] = customer.Id,
            ["object"] = "customer",
            ["created"] = Now().ToUnixTimeSeconds(),
            ["email"] = customer.Email,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["name"] = customer.Name,
        }.ToJsonString(JsonOptions));
    }

    /// <summary>GET /v1/invoice_payments?invoice=…: the invoice's InvoicePayment objects.</summary>
    private FakeReply ListInvoicePayments(RecordedRequest request)
    {
        var invoice = request.QueryPairs.Where(p => p.Key == "invoice").Select(p => p.Value).LastOrDefault();
        var data = new JsonArray();
        foreach (var (paymentIntent, index) in (invoice is not null && _invoicePayments.TryGetValue(invoice, out var list) ? list : []).Select((p, i) => (p, i)))
        {
            data.Add(new JsonObject
            {
                ["id"] = $"inpay_fake_{invoice}_{index}",
                ["object"] = "invoice_payment",
                ["amount_paid"] = AmountTotal,
                ["currency"] = Currency,
                ["invoice"] = invoice,
                ["is_default"] = index == 0,
                ["livemode"] = false,
                ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = paymentIntent },
                ["status"] = "paid",
            });
        }
        return new FakeReply(200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["has_more"] = false,
            ["url"] = "/v1/invoice_payments",
        }.ToJsonString(JsonOptions));
    }

    /// <summary>POST /v1/billing_portal/sessions: customer is required, as Stripe requires it.</summary>
    private FakeReply CreatePortalSession(RecordedRequest request)
    {
        if (request.FormValue("customer") is not { Length: > 0 } customer)
        {
            return Error(400, "invalid_request_error", "Missing required param: customer.", "parameter_missing", "customer");
        }
        var id = $"bps_fake_{++_portalSessions:D4}";
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["customer"] = customer,
            ["return_url"] = request.FormValue("return_url"),
            ["livemode"] = false,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["url"] = "https://billing.stripe.com/p/session/test_fake_" + id,
        };
        return new FakeReply(200, json.ToJsonString());
    }

    private FakeReply RetrieveSession(string id) =>
        _sessions.TryGetValue(id, out var session)
            ? new FakeReply(200, SessionJson(Refresh(session)))
            : NoSuchSession(id);

    private FakeReply ExpireSession(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return NoSuchSession(id);
        }
        if (Refresh(session).Status != "open")
        {
            return Error(400, "invalid_request_error",
                $"Only Checkout Sessions with a status of 'open' can be expired; '{id}' is {session.Status}.");
        }
        session.Status = "expired";
        return new FakeReply(200, SessionJson(session));
    }

    private FakeReply ListEvents(RecordedRequest request)
    {
        var query = request.QueryPairs;
        string? Single(string key) => query.Where(p => p.Key == key).Select(p => p.Value).LastOrDefault();

        var types = query.Where(p => p.Key.StartsWith("types[", StringComparison.Ordinal)).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);
        var type = Single("type");
        if (types.Count > 0 && type is not null)
        {
            return Error(400, "invalid_request_error", "You may only specify one of these parameters: type, types.", "parameter_invalid", "types");
        }
        if (Single("ending_before") is not null)
        {
            return Error(400, "invalid_request_error", "The fake Stripe does not support ending_before.", "parameter_unknown", "ending_before");
        }
        var limit = 10;
        if (Single("limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Error(400, "invalid_request_error", $"Invalid limit: must be an integer between 1 and 100, not '{limitText}'.", "parameter_invalid_integer", "limit");
        }
        var bounds = new List<Func<long, bool>>();
        foreach (var (name, test) in new (string, Func<long, long, bool>)[]
        {
            ("created", (c, v) => c == v),
            ("created[gte]", (c, v) => c >= v),
            ("created[gt]", (c, v) => c > v),
            ("created[lte]", (c, v) => c <= v),
            ("created[lt]", (c, v) => c < v),
        })
        {
            if (Single(name) is not { } text)
            {
                continue;
            }
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
            {
                return Error(400, "invalid_request_error", $"Invalid integer: {text}", "parameter_invalid_integer", name);
            }
            bounds.Add(created => test(created, bound));
        }

        // Newest first; among equal times, the one added later first. The cursor is a position in
        // that order, like Stripe's: filters apply to what comes after it.
        var ordered = _events.OrderByDescending(e => e.Created).ThenByDescending(e => e.Sequence).ToList();
        var start = 0;
        if (Single("starting_after") is { } cursor)
        {
            var at = ordered.FindIndex(e => e.Id == cursor);
            if (at < 0)
            {
                return Error(400, "invalid_request_error", $"No such event: '{cursor}'", "resource_missing", "starting_after");
            }
            start = at + 1;
        }
        var matching = ordered.Skip(start)
            .Where(e => types.Count == 0 || types.Contains(e.Type))
            .Where(e => type is null || TypeMatches(type, e.Type))
            .Where(e => bounds.All(bound => bound(e.Created)))
            .ToList();
        return new FakeReply(200, ListJson(matching.Take(limit), matching.Count > limit));
    }

    private static bool TypeMatches(string pattern, string type) =>
        pattern.EndsWith('*')
            ? type.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : pattern == type;

    /// <summary>A session past its expires_at reads as expired, as Stripe would have expired it.</summary>
    private FakeSession Refresh(FakeSession session)
    {
        if (session.Status == "open" && Now() >= session.ExpiresAt)
        {
            session.Status = "expired";
        }
        return session;
    }

    private static FakeReply NoSuchSession(string id) =>
        Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "resource_missing", "session");

    private static FakeReply Error(int status, string type, string message, string? code = null, string? param = null) =>
        new(status, ErrorJson(type, message, code, param));

    private static IReadOnlyDictionary<string, string> Nested(IReadOnlyList<KeyValuePair<string, string>> form, string prefix)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length) < 0)
            {
                values[key[prefix.Length..^1]] = value;
            }
        }
        return values;
    }

    private static string Mask(string key)
    {
        var keep = key.LastIndexOf('_') + 1;
        return key.Length <= keep + 4
            ? new string('*', key.Length)
            : key[..keep] + new string('*', key.Length - keep - 4) + key[^4..];
    }

    private static string SessionJson(FakeSession session)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in session.Metadata)
        {
            metadata[key] = value;
        }
        return new JsonObject
        {
            ["id"] = session.Id,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = AmountTotal,
            ["amount_total"] = AmountTotal,
            ["cancel_url"] = session.CancelUrl,
            ["client_reference_id"] = session.ClientReferenceId,
            ["created"] = session.Created.ToUnixTimeSeconds(),
            ["currency"] = Currency,
            ["customer"] = session.CustomerId,
            ["customer_creation"] = "if_required",
            ["expires_at"] = session.ExpiresAt.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["mode"] = session.Mode,
            ["payment_intent"] = session.Mode == "payment" ? session.PaymentIntentId : null,
            ["subscription"] = session.Mode == "subscription" && session.Status == "complete" ? "sub_fake_" + session.Id : null,
            ["payment_method_types"] = new JsonArray("card"),
            ["payment_status"] = session.PaymentStatus,
            ["status"] = session.Status,
            ["success_url"] = session.SuccessUrl,
            ["ui_mode"] = "hosted_page",
            ["url"] = session.Url,
        }.ToJsonString(JsonOptions);
    }

    private static string ListJson(IEnumerable<FakeEvent> events, bool hasMore)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var item in events)
            {
                writer.WriteRawValue(item.RawJson);
            }
            writer.WriteEndArray();
            writer.WriteBoolean("has_more", hasMore);
            writer.WriteString("url", "/v1/events");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
