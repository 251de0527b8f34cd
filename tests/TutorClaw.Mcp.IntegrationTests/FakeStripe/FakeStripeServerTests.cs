using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>The fake's own wire behaviour, seen with a plain HttpClient.</summary>
public sealed class FakeStripeServerTests : IAsyncLifetime
{
    private const string Key = "sk_test_fake_server_tests_0001";
    private const string Price = "price_fake_0001";

    private FakeStripeServer _fake = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync(Key, Price);
        _http = new HttpClient { BaseAddress = _fake.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? form = null, string? key = Key, string? version = "2026-10-28.endive", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");
        }
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return (response.StatusCode, default, response);
        }
        using var document = JsonDocument.Parse(text);
        var json = document.RootElement.Clone();
        return (response.StatusCode, json, response);
    }

    [Fact]
    public async Task Missing_key_is_a_401_with_stripes_error_shape()
    {
        var (status, json, response) = await SendAsync(HttpMethod.Get, "v1/events", key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("req_fake_", response.Headers.GetValues("Request-Id").Single());
    }

    [Fact]
    public async Task Missing_stripe_version_is_refused()
    {
        var (status, _, _) = await SendAsync(HttpMethod.Get, "v1/events", version: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Scripted_answers_come_first_for_any_endpoint_then_normal_behaviour_resumes()
    {
        _fake.EnqueueResponse(503, headers: new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" });

        var (first, firstJson, firstResponse) = await SendAsync(HttpMethod.Get, "v1/checkout/sessions/cs_x");
        var (second, _, _) = await SendAsync(HttpMethod.Get, "v1/checkout/sessions/cs_x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first);
        Assert.Equal("api_error", firstJson.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("true", firstResponse.Headers.GetValues("Stripe-Should-Retry").Single());
        Assert.Equal(HttpStatusCode.NotFound, second);
    }

    [Fact]
    public async Task Expire_replayed_with_its_idempotency_key_answers_the_stored_result()
    {
        var (_, created, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            $"mode=payment&line_items[0][price]={Price}&line_items[0][quantity]=1", idempotencyKey: "create-1");
        var id = created.GetProperty("id").GetString();

        var (first, _, _) = await SendAsync(HttpMethod.Post, $"v1/checkout/sessions/{id}/expire", "", idempotencyKey: "expire-1");
        var (replay, replayJson, replayResponse) = await SendAsync(HttpMethod.Post, $"v1/checkout/sessions/{id}/expire", "", idempotencyKey: "expire-1");
        var (fresh, _, _) = await SendAsync(HttpMethod.Post, $"v1/checkout/sessions/{id}/expire", "", idempotencyKey: "expire-2");

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, replay);
        Assert.Equal("expired", replayJson.GetProperty("status").GetString());
        Assert.Equal("true", replayResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.BadRequest, fresh);
    }

    [Fact]
    public async Task Completed_session_has_no_url_and_carries_its_payment_intent()
    {
        var (_, created, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            $"mode=payment&line_items[0][price]={Price}&line_items[0][quantity]=1&client_reference_id=l1");
        var id = created.GetProperty("id").GetString()!;
        _fake.CompleteSession(id, "pi_1", paid: false);

        var (_, json, _) = await SendAsync(HttpMethod.Get, $"v1/checkout/sessions/{id}");

        Assert.Equal("complete", json.GetProperty("status").GetString());
        Assert.Equal("unpaid", json.GetProperty("payment_status").GetString());
        Assert.Equal("pi_1", json.GetProperty("payment_intent").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("url").ValueKind);
        Assert.Equal("l1", _fake.GetSession(id)!.ClientReferenceId);
    }

    [Fact]
    public async Task Events_filter_by_created_gt_and_type_wildcard()
    {
        _fake.AddEvent("""{"id":"evt_1","type":"checkout.session.completed","created":100}""");
        _fake.AddEvent("""{"id":"evt_2","type":"checkout.session.expired","created":200}""");
        _fake.AddEvent("""{"id":"evt_3","type":"charge.refunded","created":300}""");

        var (_, json, _) = await SendAsync(HttpMethod.Get, "v1/events?type=checkout.session.%2A&created[gt]=100");

        Assert.Equal(["evt_2"], json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("/v1/events", json.GetProperty("url").GetString());
        Assert.Equal("list", json.GetProperty("object").GetString());
    }

    [Fact]
    public void Events_need_an_id_a_type_and_a_created_time()
    {
        Assert.Throws<ArgumentException>(() => _fake.AddEvent("""{"id":"evt_1","type":"x"}"""));
    }

    [Fact]
    public async Task Prices_answer_their_type_and_an_unknown_price_is_a_404()
    {
        _fake.AddPrice("price_fake_monthly", recurring: true);

        var (_, oneTime, _) = await SendAsync(HttpMethod.Get, $"v1/prices/{Price}");
        var (_, monthly, _) = await SendAsync(HttpMethod.Get, "v1/prices/price_fake_monthly");
        var (missing, error, _) = await SendAsync(HttpMethod.Get, "v1/prices/price_fake_nope");

        Assert.Equal("one_time", oneTime.GetProperty("type").GetString());
        Assert.Equal(("recurring", "month"), (monthly.GetProperty("type").GetString(), monthly.GetProperty("recurring").GetProperty("interval").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("resource_missing", error.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_price_lookup_never_takes_a_scripted_answer()
    {
        _fake.EnqueueResponse(500);

        var (price, _, _) = await SendAsync(HttpMethod.Get, $"v1/prices/{Price}");
        var (next, _, _) = await SendAsync(HttpMethod.Get, "v1/checkout/sessions/cs_test_none");

        Assert.Equal(HttpStatusCode.OK, price);
        Assert.Equal(HttpStatusCode.InternalServerError, next);
    }

    [Fact]
    public async Task Customers_are_made_once_per_idempotency_key_and_recorded_with_their_fields()
    {
        var (_, first, _) = await SendAsync(HttpMethod.Post, "v1/customers", "name=Zo%C3%AB&metadata[learner_id]=l1", idempotencyKey: "customer-l1");
        var (_, again, replay) = await SendAsync(HttpMethod.Post, "v1/customers", "name=Zo%C3%AB&metadata[learner_id]=l1", idempotencyKey: "customer-l1");

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var customer = Assert.Single(_fake.Customers);
        Assert.Equal(("Zoë", "l1", "customer-l1"), (customer.Name, customer.Metadata["learner_id"], customer.IdempotencyKey));
    }

    [Fact]
    public async Task Subscription_mode_needs_a_recurring_price_and_an_existing_customer_and_refuses_payment_intent_data()
    {
        _fake.AddPrice("price_fake_monthly", recurring: true);
        var (_, customer, _) = await SendAsync(HttpMethod.Post, "v1/customers", "metadata[learner_id]=l1");
        var cus = customer.GetProperty("id").GetString();

        var (oneTime, _, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            $"mode=subscription&customer={cus}&line_items[0][price]={Price}&line_items[0][quantity]=1");
        var (recurringAsPayment, _, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            "mode=payment&line_items[0][price]=price_fake_monthly&line_items[0][quantity]=1");
        var (noCustomer, _, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            "mode=subscription&customer=cus_fake_nobody&line_items[0][price]=price_fake_monthly&line_items[0][quantity]=1");
        var (intentData, _, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            $"mode=subscription&customer={cus}&line_items[0][price]=price_fake_monthly&line_items[0][quantity]=1&payment_intent_data[metadata][learner_id]=l1");
        var (ok, session, _) = await SendAsync(HttpMethod.Post, "v1/checkout/sessions",
            $"mode=subscription&customer={cus}&line_items[0][price]=price_fake_monthly&line_items[0][quantity]=1&subscription_data[metadata][learner_id]=l1");

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK],
            new[] { oneTime, recurringAsPayment, noCustomer, intentData, ok });
        Assert.Equal(("subscription", cus), (session.GetProperty("mode").GetString(), session.GetProperty("customer").GetString()));
        var recorded = _fake.GetSession(session.GetProperty("id").GetString()!)!;
        Assert.Equal(("subscription", cus, "l1"), (recorded.Mode, recorded.CustomerId, recorded.SubscriptionMetadata["learner_id"]));
    }
}
