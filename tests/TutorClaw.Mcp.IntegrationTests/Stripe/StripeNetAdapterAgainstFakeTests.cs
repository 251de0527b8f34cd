using TutorClaw.Mcp.TestSupport;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.IntegrationTests.Stripe;

/// <summary>The real <see cref="StripeNetAdapter"/> over Stripe.net, built the way the host builds it
/// (<see cref="StripeServices.AddStripeApi"/>), against <see cref="FakeStripeServer"/> on loopback.
/// Stripe.net's retry back-off is real here (0.5 s, then 0.75–1 s): it has no public switch.</summary>
public sealed class StripeNetAdapterAgainstFakeTests : IAsyncLifetime
{
    // The placeholders of shared/stripe/checkout-session-create.md.
    private const string SecretKey = "sk_test_TcLwDemoKeyNotReal000000000000000000";
    private const string PriceId = "price_1TcLw01demoQPaidTier0001";
    private const string IdempotencyKey = "checkout-learner_demo-7d1f3c2a";

    private static readonly DateTimeOffset FakeNow = DateTimeOffset.FromUnixTimeSeconds(1_795_168_800);

    private static readonly CheckoutSessionRequest DocumentedRequest = new(
        PriceId,
        1,
        "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "http://localhost:8000/checkout/cancel",
        "learner_demo",
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" },
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" });

    private FakeStripeServer _fake = null!;
    private readonly List<ServiceProvider> _providers = [];

    public async Task InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync(SecretKey, PriceId);
        _fake.Now = () => FakeNow;
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        await _fake.DisposeAsync();
    }

    private IStripeApi Client(Action<StripeOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStripeApi();
        services.Configure<StripeOptions>(options =>
        {
            options.SecretKey = SecretKey;
            options.PaidPriceId = PriceId;
            options.ApiBase = _fake.BaseUrl;
            configure?.Invoke(options);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IStripeApi>();
    }

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Create_sends_the_documented_form_fields_and_headers()
    {
        var result = await Client().CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Message);
        var sent = Assert.Single(_fake.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/checkout/sessions", sent.Path);
        // Stripe.net writes the fields in its own order (stripe-node's differs); the set is what Stripe reads.
        Assert.Equal(
            CheckoutCapture.DecodedFields(PriceId).OrderBy(f => f.Key, StringComparer.Ordinal),
            sent.Form.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal($"Bearer {SecretKey}", sent.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Header("Content-Type"));
        Assert.Equal("2026-10-28.endive", sent.Header("Stripe-Version"));
        Assert.Equal(IdempotencyKey, sent.Header("Idempotency-Key"));
        Assert.Contains(".NetBindings/53.1.0", sent.Header("User-Agent"), StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Headers, h => h.Key != "Authorization" && h.Value.Contains(SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_returns_the_fake_session()
    {
        var result = await Client().CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        var session = result.Value!;
        Assert.Equal("cs_test_fake_1", session.Id);
        Assert.Equal("https://checkout.stripe.com/c/pay/cs_test_fake_1", session.Url);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal(FakeNow, session.Created);
        Assert.Equal(FakeNow.AddHours(24), session.ExpiresAt);
        Assert.Equal("learner_demo", session.ClientReferenceId);
        Assert.Equal("learner_demo", session.Metadata["learner_id"]);
        Assert.Null(session.PaymentIntentId);
        Assert.Equal(1900, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
        var stored = _fake.GetSession(session.Id)!;
        Assert.Equal("learner_demo", stored.PaymentIntentMetadata["learner_id"]);
        Assert.Equal("http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}", stored.SuccessUrl);
    }

    [Fact]
    public async Task Wrong_key_is_an_authentication_failure_without_the_key_in_the_message()
    {
        var result = await Client(o => o.SecretKey = "sk_test_WrongKeyNotReal0000000000000000000001")
            .CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.Authentication, result.Failure!.Kind);
        Assert.Equal(401, result.Failure.HttpStatus);
        Assert.Equal(1, result.Failure.Attempts);
        Assert.StartsWith("req_fake_", result.Failure.RequestId);
        Assert.Contains("STRIPE_SECRET_KEY", result.Failure.Message);
        Assert.DoesNotContain("sk_test", result.Failure.ToString());
        Assert.DoesNotContain("0001", result.Failure.Message);
        Assert.Empty(_fake.Sessions);
    }

    [Fact]
    public async Task Unknown_price_is_an_invalid_request_quoting_stripe()
    {
        var request = DocumentedRequest with { PriceId = "price_unknown" };

        var result = await Client().CreateCheckoutSessionAsync(request, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.InvalidRequest, result.Failure!.Kind);
        Assert.Equal("Stripe rejected the request (HTTP 400): No such price: 'price_unknown'.", result.Failure.Message);
        Assert.Equal("resource_missing", result.Failure.Code);
        Assert.Equal("line_items[0][price]", result.Failure.Param);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Rate_limit_with_should_retry_then_success_is_retried_with_the_same_idempotency_key()
    {
        // Stripe.net retries a 429 only when Stripe-Should-Retry says true (our own policy retried every 429).
        _fake.EnqueueResponse(429, FakeStripeServer.ErrorJson("invalid_request_error", "Too many requests.", "rate_limit"),
            new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" });

        var result = await Client().CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.True(result.IsSuccess, result.Failure?.Message);
        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(IdempotencyKey, r.Header("Idempotency-Key")));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Single(_fake.Sessions);
    }

    [Fact]
    public async Task Server_error_three_times_gives_up_with_a_clear_error()
    {
        _fake.EnqueueResponse(500);
        _fake.EnqueueResponse(500);
        _fake.EnqueueResponse(500);

        var result = await Client().CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Attempts);
        Assert.Equal("Stripe could not handle the request (HTTP 500, 3 attempts); try again later.", result.Failure.Message);
        Assert.Equal(3, _fake.Requests.Count);
        Assert.Empty(_fake.Sessions);
    }

    [Fact]
    public async Task Should_retry_false_is_obeyed_over_the_wire()
    {
        _fake.EnqueueResponse(503, headers: new Dictionary<string, string> { ["Stripe-Should-Retry"] = "false" });

        var result = await Client().CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(1, result.Failure!.Attempts);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Hanging_server_times_out()
    {
        var client = Client(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            o.MaxNetworkRetries = 1;
        });
        // A first answered call, so connection set-up and JIT are not what the timeout measures.
        await client.GetCheckoutSessionAsync("cs_test_warm_up", Ct);
        _fake.Hang = true;

        var result = await client.CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.Timeout, result.Failure!.Kind);
        Assert.Equal(2, result.Failure.Attempts);
        Assert.Null(result.Failure.HttpStatus);
        Assert.Contains("did not answer within 0.3 s (2 attempts)", result.Failure.Message);
        Assert.Empty(_fake.Sessions);
    }

    [Fact]
    public async Task Closed_port_is_unreachable()
    {
        var result = await Client(o => o.ApiBase = new Uri("http://127.0.0.1:9"))
            .CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.Unreachable, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Attempts);
    }

    [Fact]
    public async Task Same_idempotency_key_replays_the_same_session()
    {
        var client = Client();

        var first = await client.CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);
        var second = await client.CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        Assert.Equal(first.Value!.Id, second.Value!.Id);
        Assert.Single(_fake.Sessions);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task Same_idempotency_key_with_other_parameters_is_an_idempotency_failure()
    {
        var client = Client();
        await client.CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct);

        var result = await client.CreateCheckoutSessionAsync(DocumentedRequest with { ClientReferenceId = "someone_else" }, IdempotencyKey, Ct);

        Assert.Equal(StripeFailureKind.Idempotency, result.Failure!.Kind);
        Assert.Single(_fake.Sessions);
    }

    [Fact]
    public async Task Retrieve_sees_a_completed_session_and_expire_only_works_while_open()
    {
        var client = Client();
        var paid = (await client.CreateCheckoutSessionAsync(DocumentedRequest, "key-paid", Ct)).Value!;
        var abandoned = (await client.CreateCheckoutSessionAsync(DocumentedRequest, "key-abandoned", Ct)).Value!;
        _fake.CompleteSession(paid.Id, "pi_fake_1");

        var retrieved = await client.GetCheckoutSessionAsync(paid.Id, Ct);
        var expireCompleted = await client.ExpireCheckoutSessionAsync(paid.Id, "expire-paid", Ct);
        var expired = await client.ExpireCheckoutSessionAsync(abandoned.Id, "expire-abandoned", Ct);
        var missing = await client.GetCheckoutSessionAsync("cs_test_nope", Ct);

        Assert.Equal(("complete", "paid", "pi_fake_1"), (retrieved.Value!.Status, retrieved.Value.PaymentStatus, retrieved.Value.PaymentIntentId));
        Assert.Null(retrieved.Value.Url);
        Assert.Equal(StripeFailureKind.InvalidRequest, expireCompleted.Failure!.Kind);
        Assert.Equal("expired", expired.Value!.Status);
        Assert.Null(expired.Value.Url);
        Assert.Equal(StripeFailureKind.InvalidRequest, missing.Failure!.Kind);
        Assert.Equal(404, missing.Failure.HttpStatus);
    }

    [Fact]
    public async Task Session_past_its_expiry_reads_as_expired()
    {
        var client = Client();
        var session = (await client.CreateCheckoutSessionAsync(DocumentedRequest, IdempotencyKey, Ct)).Value!;
        _fake.Now = () => FakeNow.AddHours(24);

        var retrieved = await client.GetCheckoutSessionAsync(session.Id, Ct);

        Assert.Equal("expired", retrieved.Value!.Status);
    }

    [Fact]
    public async Task Events_are_listed_newest_first_filtered_and_paged()
    {
        AddEvent("evt_old", "checkout.session.completed", 1_795_000_000); // before created[gte]
        AddEvent("evt_a", "checkout.session.completed", 1_795_168_801);
        AddEvent("evt_b", "customer.created", 1_795_168_802);              // filtered out by type
        AddEvent("evt_c", "charge.refunded", 1_795_168_803);
        AddEvent("evt_d", "checkout.session.completed", 1_795_168_803);    // same time as evt_c, added later
        AddEvent("evt_e", "checkout.session.async_payment_succeeded", 1_795_168_804);
        var client = Client();
        var types = new[] { "checkout.session.completed", "checkout.session.async_payment_succeeded", "charge.refunded" };

        var seen = await ListAllAsync(client, new EventListQuery(types, FakeNow, null, Limit: 2));

        Assert.Equal(["evt_e", "evt_d", "evt_c", "evt_a"], seen.Select(e => e.Value!.Id));
        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(
            [new("created[gte]", "1795168800"), new("limit", "2"), new("types[0]", "checkout.session.completed"),
             new("types[1]", "checkout.session.async_payment_succeeded"), new("types[2]", "charge.refunded")],
            requests[0].QueryPairs.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("evt_d", requests[1].QueryPairs.Single(p => p.Key == "starting_after").Value);
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.All(requests, r => Assert.Null(r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Listed_events_are_the_raw_json_that_was_added()
    {
        const string raw = """{"id":"evt_raw","object":"event","type":"charge.refunded","created":1795168900,"data":{"object":{"id":"ch_1","metadata":{"learner_name":"Zoë 李"}}}}""";
        _fake.AddEvent(raw);

        var events = await ListAllAsync(Client(), new EventListQuery([], null, null));

        var item = Assert.Single(events).Value!;
        Assert.Equal("evt_raw", item.Id);
        Assert.Equal("Zoë 李", (string?)item.Data.RawObject["metadata"]["learner_name"]);
        Assert.Single(_fake.Requests);
    }

    private static async Task<List<StripeResult<global::Stripe.Event>>> ListAllAsync(IStripeApi client, EventListQuery query)
    {
        var items = new List<StripeResult<global::Stripe.Event>>();
        await foreach (var item in client.ListEventsAsync(query, Ct))
        {
            Assert.True(item.IsSuccess, item.Failure?.Message);
            items.Add(item);
        }
        return items;
    }

    private void AddEvent(string id, string type, long created) =>
        _fake.AddEvent(JsonSerializer.Serialize(new { id, @object = "event", type, created, data = new { @object = new { id = $"obj_{id}" } } }));
}
