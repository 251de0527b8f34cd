using System.Net.Sockets;
using System.Web;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Stripe;

/// <summary>
/// <see cref="StripeNetAdapter"/> over the real Stripe.net client, with a Moq-mocked
/// <see cref="HttpMessageHandler"/> as the wire: what is sent, what Stripe.net retries, and how
/// every failure becomes a sentence.
/// </summary>
public sealed class StripeNetAdapterTests
{
    private const string SecretKey = ScriptedStripeHandler.SecretKey;
    private const string IdempotencyKey = "checkout-learner_demo-7d1f3c2a";

    /// <summary>Part of the documented 200 body, with fields we don't read left in.</summary>
    private const string SessionJson = """
        {
          "id": "cs_test_a1qRped",
          "object": "checkout.session",
          "adaptive_pricing": { "enabled": false },
          "amount_subtotal": 1900,
          "amount_total": 1900,
          "cancel_url": "http://localhost:8000/checkout/cancel",
          "client_reference_id": "learner_demo",
          "created": 1795168800,
          "currency": "usd",
          "custom_fields": [],
          "expires_at": 1795255200,
          "metadata": { "learner_id": "learner_demo" },
          "mode": "payment",
          "payment_intent": null,
          "payment_method_types": ["card", "link"],
          "payment_status": "unpaid",
          "status": "open",
          "success_url": "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
          "url": "https://checkout.stripe.com/c/pay/cs_test_a1qRped#fidkdWxOYHwnPyd1blpxYHZxWjA0VGNMd0RlbW8",
          "some_future_field": { "nested": [1, 2, 3] }
        }
        """;

    internal static CheckoutSessionRequest DocumentedRequest() => new(
        CheckoutCapture.DocumentedPriceId,
        1,
        "http://localhost:8000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "http://localhost:8000/checkout/cancel",
        "learner_demo",
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" },
        new Dictionary<string, string> { ["learner_id"] = "learner_demo" });

    private static Task<StripeResult<CheckoutSession>> CreateAsync(StripeNetAdapter client, CancellationToken cancellationToken = default) =>
        client.CreateCheckoutSessionAsync(DocumentedRequest(), IdempotencyKey, cancellationToken);

    /// <summary>A form body or query string as (name, value) pairs, decoded, in the order sent.</summary>
    private static KeyValuePair<string, string>[] Decoded(string form) =>
        form.Length == 0
            ? []
            : [.. form.Split('&').Select(pair => pair.Split('=', 2)).Select(p => new KeyValuePair<string, string>(
                HttpUtility.UrlDecode(p[0]), HttpUtility.UrlDecode(p.Length > 1 ? p[1] : "")))];

    private static async Task<List<StripeResult<global::Stripe.Event>>> ListAllAsync(StripeNetAdapter client, EventListQuery query)
    {
        var items = new List<StripeResult<global::Stripe.Event>>();
        await foreach (var item in client.ListEventsAsync(query, CancellationToken.None))
        {
            items.Add(item);
        }
        return items;
    }

    [Fact]
    public async Task Create_sends_the_documented_headers_and_form_body()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);
        var client = handler.CreateClient();

        await CreateAsync(client);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("https://api.stripe.test/v1/checkout/sessions", sent.Uri.AbsoluteUri);
        Assert.Equal($"Bearer {SecretKey}", sent.Header("Authorization"));
        Assert.Equal("2026-10-28.endive", sent.Header("Stripe-Version"));
        Assert.Contains(".NetBindings/53.1.0", sent.Header("User-Agent"), StringComparison.Ordinal);
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Header("Content-Type"));
        Assert.Equal(IdempotencyKey, sent.Header("Idempotency-Key"));
        // Stripe.net writes the fields in its own order (stripe-node's differs); the set is what Stripe reads.
        Assert.Equal(
            CheckoutCapture.DecodedFields().OrderBy(f => f.Key, StringComparer.Ordinal),
            Decoded(sent.Body!).OrderBy(f => f.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Checkout_session_id_template_travels_literally_percent_encoded()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);

        await CreateAsync(handler.CreateClient());

        var body = Assert.Single(handler.Requests).Body!;
        Assert.Contains("%7BCHECKOUT_SESSION_ID%7D", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("{", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_key_travels_only_in_the_authorization_header()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);

        await CreateAsync(handler.CreateClient());

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(["Authorization"], sent.Headers.Where(h => h.Value.Contains(SecretKey, StringComparison.Ordinal)).Select(h => h.Key));
        Assert.DoesNotContain(SecretKey, sent.Uri.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, sent.Body!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_reads_the_session_leniently()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient());

        Assert.True(result.IsSuccess);
        var session = result.Value;
        Assert.Equal("cs_test_a1qRped", session.Id);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/cs_test_a1qRped", session.Url);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_255_200), session.ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_168_800), session.Created);
        Assert.Null(session.PaymentIntentId);
        Assert.Equal("learner_demo", session.ClientReferenceId);
        Assert.Equal("learner_demo", session.Metadata["learner_id"]);
        Assert.Equal(1900, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
    }

    [Fact]
    public async Task Expanded_payment_intent_object_gives_its_id()
    {
        var handler = new ScriptedStripeHandler().Then(200, """{"id":"cs_1","status":"complete","payment_status":"paid","payment_intent":{"id":"pi_1","object":"payment_intent"},"metadata":{}}""");

        var result = await handler.CreateClient().GetCheckoutSessionAsync("cs_1", CancellationToken.None);

        Assert.Equal("pi_1", result.Value!.PaymentIntentId);
    }

    [Fact]
    public async Task Conflict_409_then_200_is_retried_with_the_same_idempotency_key()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(409, "invalid_request_error", "There is currently another in-progress request using this Stripe API key.")
            .Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient());

        Assert.True(result.IsSuccess);
        handler.VerifySent(2);
        Assert.All(handler.Requests, r => Assert.Equal(IdempotencyKey, r.Header("Idempotency-Key")));
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Fact]
    public async Task Rate_limit_429_is_not_retried_unless_stripe_says_so()
    {
        // Stripe.net (like stripe-node) retries a 429 only on Stripe-Should-Retry: true; our own
        // retry policy used to retry every 429.
        var handler = new ScriptedStripeHandler()
            .ThenError(429, "invalid_request_error", "Too many requests hit the API too quickly.", "rate_limit");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.RateLimited, result.Failure!.Kind);
        Assert.Equal(1, result.Failure.Attempts);
        Assert.Equal("Stripe is rate-limiting requests (HTTP 429, 1 attempt); try again in a little while.", result.Failure.Message);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Rate_limit_429_with_should_retry_true_then_200_is_retried_with_the_same_idempotency_key()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(429, "invalid_request_error", "Too many requests hit the API too quickly.", "rate_limit",
                headers: ("Stripe-Should-Retry", "true"))
            .Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient());

        Assert.True(result.IsSuccess);
        handler.VerifySent(2);
        Assert.All(handler.Requests, r => Assert.Equal(IdempotencyKey, r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Server_error_three_times_gives_up_after_three_attempts()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(500, "api_error", "Something went wrong on Stripe's end.")
            .ThenError(500, "api_error", "Something went wrong on Stripe's end.")
            .ThenError(500, "api_error", "Something went wrong on Stripe's end.", headers: ("Request-Id", "req_last"));

        var result = await CreateAsync(handler.CreateClient());

        Assert.False(result.IsSuccess);
        Assert.Equal(StripeFailureKind.ServerError, result.Failure.Kind);
        Assert.Equal(3, result.Failure.Attempts);
        Assert.Equal(500, result.Failure.HttpStatus);
        Assert.Equal("req_last", result.Failure.RequestId);
        Assert.Contains("3 attempts", result.Failure.Message);
        handler.VerifySent(3);
    }

    [Fact]
    public async Task Should_retry_false_on_500_forbids_a_retry()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(500, "api_error", "Replaying would not help.", headers: ("Stripe-Should-Retry", "false"));

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(1, result.Failure.Attempts);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Should_retry_true_on_400_forces_a_retry()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(400, "invalid_request_error", "Lock timeout.", "lock_timeout", headers: ("Stripe-Should-Retry", "true"))
            .Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient());

        Assert.True(result.IsSuccess);
        handler.VerifySent(2);
    }

    [Fact]
    public async Task Unauthorized_401_is_an_authentication_failure_that_names_the_variable_not_the_key()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(401, "invalid_request_error", $"Invalid API Key provided: {SecretKey[..12]}****0000 (full: {SecretKey})");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.Authentication, result.Failure!.Kind);
        Assert.Equal(401, result.Failure.HttpStatus);
        Assert.Equal(1, result.Failure.Attempts);
        Assert.Contains("STRIPE_SECRET_KEY", result.Failure.Message);
        Assert.DoesNotContain("sk_", result.Failure.Message);
        Assert.DoesNotContain("Invalid API Key", result.Failure.Message);
    }

    [Fact]
    public async Task Bad_request_400_quotes_stripes_message()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(400, "invalid_request_error", "No such price: 'price_x'", "resource_missing", "line_items[0][price]",
                ("Request-Id", "req_badprice"));

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.InvalidRequest, result.Failure!.Kind);
        Assert.Equal("Stripe rejected the request (HTTP 400): No such price: 'price_x'.", result.Failure.Message);
        Assert.Equal("invalid_request_error", result.Failure.StripeErrorType);
        Assert.Equal("resource_missing", result.Failure.Code);
        Assert.Equal("line_items[0][price]", result.Failure.Param);
        Assert.Equal("req_badprice", result.Failure.RequestId);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Key_shaped_text_in_stripes_message_is_scrubbed()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(400, "invalid_request_error", "Bad value sk_live_abcDEF123 and rk_test_zzz and whsec_secret99 and sk_test_****4242.");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(
            "Stripe rejected the request (HTTP 400): Bad value [redacted] and [redacted] and [redacted] and [redacted].",
            result.Failure!.Message);
    }

    [Fact]
    public async Task Not_found_404_is_an_invalid_request()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(404, "invalid_request_error", "No such checkout.session: 'cs_nope'", "resource_missing", "id");

        var result = await handler.CreateClient().GetCheckoutSessionAsync("cs_nope", CancellationToken.None);

        Assert.Equal(StripeFailureKind.InvalidRequest, result.Failure!.Kind);
        Assert.Equal(404, result.Failure.HttpStatus);
        Assert.Contains("No such checkout.session: 'cs_nope'", result.Failure.Message);
    }

    [Fact]
    public async Task Forbidden_403_is_a_permission_failure()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(403, "invalid_request_error", "The provided key 'rk_test_***abcd' does not have the required permissions for this endpoint.");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.Permission, result.Failure!.Kind);
        Assert.Contains("STRIPE_SECRET_KEY", result.Failure.Message);
        Assert.DoesNotContain("rk_test", result.Failure.Message);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Reused_idempotency_key_with_other_parameters_is_an_idempotency_failure()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.Idempotency, result.Failure!.Kind);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Card_error_402_is_a_card_failure()
    {
        var handler = new ScriptedStripeHandler().ThenError(402, "card_error", "Your card was declined.", "card_declined");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.Card, result.Failure!.Kind);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Rate_limit_on_every_attempt_is_a_rate_limited_failure()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(429, "invalid_request_error", "Too many requests.", "rate_limit", headers: ("Stripe-Should-Retry", "true"))
            .ThenError(429, "invalid_request_error", "Too many requests.", "rate_limit", headers: ("Stripe-Should-Retry", "true"));

        var result = await CreateAsync(handler.CreateClient(o => o.MaxNetworkRetries = 1));

        Assert.Equal(StripeFailureKind.RateLimited, result.Failure!.Kind);
        Assert.Equal(2, result.Failure.Attempts);
    }

    [Fact]
    public async Task Unanswered_attempts_time_out_into_a_timeout_failure()
    {
        var handler = new ScriptedStripeHandler().ThenHang().ThenHang();

        var result = await CreateAsync(handler.CreateClient(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxNetworkRetries = 1;
        }));

        Assert.Equal(StripeFailureKind.Timeout, result.Failure!.Kind);
        Assert.Equal(2, result.Failure.Attempts);
        Assert.Null(result.Failure.HttpStatus);
        Assert.All(handler.Requests, r => Assert.Equal(IdempotencyKey, r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Timed_out_attempt_then_answer_succeeds()
    {
        var handler = new ScriptedStripeHandler().ThenHang().Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient(o => o.RequestTimeout = TimeSpan.FromMilliseconds(100)));

        Assert.True(result.IsSuccess);
        handler.VerifySent(2);
    }

    [Fact]
    public async Task Connection_errors_on_every_attempt_are_an_unreachable_failure()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.stripe.test:443)",
            new SocketException((int)SocketError.ConnectionRefused));
        var handler = new ScriptedStripeHandler().ThenThrow(refused).ThenThrow(refused).ThenThrow(refused);

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.Unreachable, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Attempts);
        Assert.DoesNotContain("refused", result.Failure.Message);
    }

    [Fact]
    public async Task Connection_error_then_answer_succeeds()
    {
        var handler = new ScriptedStripeHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError))
            .Then(200, SessionJson);

        var result = await CreateAsync(handler.CreateClient());

        Assert.True(result.IsSuccess);
        handler.VerifySent(2);
    }

    [Fact]
    public async Task Callers_cancellation_is_not_a_failure_and_stops_retrying()
    {
        using var caller = new CancellationTokenSource();
        var handler = new ScriptedStripeHandler().ThenHang(whenReached: caller.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateAsync(handler.CreateClient(), caller.Token));

        handler.VerifySent(1);
    }

    [Fact]
    public async Task Missing_secret_key_fails_without_any_http()
    {
        var handler = new ScriptedStripeHandler();

        var result = await CreateAsync(handler.CreateClient(o => o.SecretKey = null));

        Assert.Equal(StripeFailureKind.Authentication, result.Failure!.Kind);
        Assert.Contains("STRIPE_SECRET_KEY is not set", result.Failure.Message);
        Assert.Equal(0, result.Failure.Attempts);
        handler.VerifySent(0);
    }

    [Fact]
    public async Task Retries_are_bounded_by_max_network_retries()
    {
        var handler = new ScriptedStripeHandler().ThenError(503, "api_error", "Unavailable.");

        var result = await CreateAsync(handler.CreateClient(o => o.MaxNetworkRetries = 0));

        Assert.Equal(1, result.Failure!.Attempts);
        handler.VerifySent(1);
    }

    [Fact]
    public async Task Unreadable_success_body_is_a_server_error()
    {
        var handler = new ScriptedStripeHandler().Then(200, "<html>proxy</html>");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(200, result.Failure.HttpStatus);
    }

    [Fact]
    public async Task Html_error_page_is_classified_by_status()
    {
        var handler = new ScriptedStripeHandler().Then(502, "<html>bad gateway</html>").Then(502, "").Then(502, "");

        var result = await CreateAsync(handler.CreateClient());

        Assert.Equal(StripeFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task Failure_messages_and_logs_never_contain_the_secret_key(int status)
    {
        var echo = ScriptedStripeHandler.ErrorJson("invalid_request_error", $"Key {SecretKey} was used.", SecretKey, SecretKey);
        var handler = new ScriptedStripeHandler().Then(status, echo).Then(status, echo).Then(status, echo);

        var result = await CreateAsync(handler.CreateClient());

        var failure = result.Failure!;
        Assert.DoesNotContain(SecretKey, failure.ToString(), StringComparison.Ordinal);
        Assert.All(handler.Logger.Lines, line => Assert.DoesNotContain(SecretKey, line, StringComparison.Ordinal));
        Assert.NotEmpty(handler.Logger.Lines);
    }

    [Fact]
    public async Task A_failed_call_logs_one_line_with_operation_status_and_request_id_but_no_body()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(400, "invalid_request_error", "No such price: 'price_x'", "resource_missing", headers: ("Request-Id", "req_one"));

        await CreateAsync(handler.CreateClient());

        var line = Assert.Single(handler.Logger.Lines);
        Assert.StartsWith("Warning Stripe call failed: create checkout session: InvalidRequest, status 400, request req_one, after 1 attempt(s)", line);
        Assert.DoesNotContain("learner_demo", line, StringComparison.Ordinal);
        Assert.DoesNotContain("checkout/success", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_call_logs_nothing()
    {
        var handler = new ScriptedStripeHandler()
            .ThenError(500, "api_error", "oops", headers: ("Request-Id", "req_one"))
            .Then(200, SessionJson, ("Request-Id", "req_two"));

        await CreateAsync(handler.CreateClient());

        Assert.Empty(handler.Logger.Lines);
    }

    [Fact]
    public async Task List_events_sends_the_bracketed_query_and_pages_after_the_last_event()
    {
        var handler = new ScriptedStripeHandler()
            .Then(200, """
                {"object":"list","url":"/v1/events","has_more":true,"data":[
                  {"id":"evt_2","object":"event","type":"checkout.session.completed","created":1795168900,"data":{"object":{"id":"cs_2"}}},
                  {"id":"evt_1","object":"event","type":"charge.refunded","created":1795168800,"data":{"object":{"id":"ch_1"}}}
                ]}
                """)
            .Then(200, """
                {"object":"list","url":"/v1/events","has_more":false,"data":[
                  {"id":"evt_0","object":"event","type":"charge.refunded","created":1795168700,"data":{"object":{"id":"ch_0"}}}
                ]}
                """);
        var query = new EventListQuery(
            ["checkout.session.completed", "charge.refunded"], DateTimeOffset.FromUnixTimeSeconds(1_795_168_800), "evt_9", 2);

        var items = await ListAllAsync(handler.CreateClient(), query);

        Assert.Equal(["evt_2", "evt_1", "evt_0"], items.Select(i => i.Value!.Id));
        Assert.Equal("cs_2", (string?)items[0].Value!.Data.RawObject["id"]);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Equal("/v1/events", r.Uri.AbsolutePath);
            Assert.Null(r.Header("Idempotency-Key"));
        });
        Assert.Equal(
            [new("created[gte]", "1795168800"), new("limit", "2"), new("starting_after", "evt_9"),
             new("types[0]", "checkout.session.completed"), new("types[1]", "charge.refunded")],
            Decoded(handler.Requests[0].Uri.Query.TrimStart('?')).OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("starting_after", "evt_1"), Decoded(handler.Requests[1].Uri.Query.TrimStart('?')));
    }

    [Fact]
    public async Task List_events_failing_on_the_second_page_ends_with_the_failure()
    {
        var handler = new ScriptedStripeHandler()
            .Then(200, """{"object":"list","has_more":true,"data":[{"id":"evt_2","object":"event","type":"charge.refunded","created":1,"data":{"object":{"id":"ch_2"}}}]}""")
            .ThenError(401, "invalid_request_error", "Expired API Key provided.");

        var items = await ListAllAsync(handler.CreateClient(), new EventListQuery([], null, null, 1));

        Assert.Equal(2, items.Count);
        Assert.Equal("evt_2", items[0].Value!.Id);
        Assert.Equal(StripeFailureKind.Authentication, items[1].Failure!.Kind);
    }

    [Fact]
    public async Task Get_session_is_a_get_without_body_or_idempotency_key()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);

        var result = await handler.CreateClient().GetCheckoutSessionAsync("cs_test_a1qRped", CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/checkout/sessions/cs_test_a1qRped", sent.Uri.AbsolutePath);
        Assert.Null(sent.Header("Idempotency-Key"));
        Assert.Null(sent.Body);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Expire_posts_an_empty_form_with_the_idempotency_key()
    {
        var handler = new ScriptedStripeHandler().Then(200, """{"id":"cs_1","status":"expired","payment_status":"unpaid","url":null}""");

        var result = await handler.CreateClient().ExpireCheckoutSessionAsync("cs_1", "expire-cs_1", CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/checkout/sessions/cs_1/expire", sent.Uri.AbsolutePath);
        Assert.Equal("expire-cs_1", sent.Header("Idempotency-Key"));
        Assert.Equal("", sent.Body ?? "");
        Assert.Equal("expired", result.Value!.Status);
        Assert.Null(result.Value.Url);
    }

    [Fact]
    public async Task Api_base_path_prefix_is_kept()
    {
        var handler = new ScriptedStripeHandler().Then(200, SessionJson);

        await CreateAsync(handler.CreateClient(o => o.ApiBase = new Uri("http://127.0.0.1:12111/stripe-proxy")));

        Assert.Equal("http://127.0.0.1:12111/stripe-proxy/v1/checkout/sessions", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Key_with_a_newline_fails_without_any_http_and_names_the_variable()
    {
        var handler = new ScriptedStripeHandler();

        var result = await CreateAsync(handler.CreateClient(o => o.SecretKey = "sk_test_fake\n"));

        Assert.Equal(StripeFailureKind.Authentication, result.Failure!.Kind);
        Assert.StartsWith("STRIPE_SECRET_KEY contains characters", result.Failure.Message);
        handler.VerifySent(0);
    }
}
