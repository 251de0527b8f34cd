using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// A whole paid-and-refunded flow with recognisable fake secrets, every log record captured at
/// Trace: the Stripe key, the webhook secret and the MCP token appear in no log line, tool result,
/// HTTP response body or file under the data directory.
/// </summary>
public sealed class SecretsHygieneTests
{
    private const string SecretKey = "sk_test_fakeHYGIENE0000000000000000";
    private const string WebhookSecret = "whsec_fakeHYGIENE000000000000000";
    private const string McpToken = "tok_fakeHYGIENE00000000000000000000";
    private const string WrongToken = "tok_fakeHYGIENEwrong0000000000000000";
    private const string Marker = "fakeHYGIENE";
    private const string PaymentIntent = "pi_3TcLw01demoQaXCn3hhU1ede"; // the one charge.refunded.json refunds

    [Fact]
    public async Task No_secret_reaches_a_log_a_tool_result_a_response_body_or_a_file()
    {
        var logs = new RecordingLoggerProvider();
        var stripe = new FakeStripe();
        using var app = new TutorClawApp
        {
            ConfigureTestServices = services =>
            {
                logs.AddTo(services);
                services.AddHttpClient(StripeServices.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new FakeStripeHandler(stripe));
            },
        };
        app.Settings["STRIPE_SECRET_KEY"] = SecretKey;
        app.Settings["STRIPE_WEBHOOK_SECRET"] = WebhookSecret;
        app.Settings["TUTORCLAW_MCP_TOKEN"] = McpToken;
        var seen = new List<string>();
        using var http = app.CreateClient();

        // /mcp refuses a wrong token, then serves the right one.
        using (var refused = await SendMcpAsync(http, WrongToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            seen.Add(await refused.Content.ReadAsStringAsync());
        }
        using var authorized = app.CreateClient();
        authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", McpToken);
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(authorized.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            authorized, ownsHttpClient: false));

        var registered = await CallAsync(mcp, seen, "register_learner", new() { ["name"] = "Hygiene Learner", ["phone"] = "+15550001111" });
        var learnerId = registered.StructuredContent!.Value.GetProperty("learner_id").GetString()!;
        var link = await CallAsync(mcp, seen, "get_upgrade_url", new() { ["learner_id"] = learnerId });
        Assert.NotEqual(true, link.IsError);
        var sessionId = link.StructuredContent!.Value.GetProperty("session_id").GetString()!;

        // The browser comes back from Stripe; then Stripe's webhooks: completed, a bad signature, the refund.
        seen.Add(await GetAsync(http, $"/checkout/success?session_id={sessionId}", HttpStatusCode.OK));
        var completed = StripeEvents.CheckoutCompleted("evt_hygiene_completed_0001", sessionId, PaymentIntent, learnerId);
        seen.Add(await PostWebhookAsync(app, http, completed, Sign(app, completed), HttpStatusCode.OK));
        seen.Add(await PostWebhookAsync(app, http, completed, Sign(app, completed).Replace("v1=", "v1=0", StringComparison.Ordinal), HttpStatusCode.BadRequest));
        seen.Add(await PostWebhookAsync(app, http, completed, null, HttpStatusCode.BadRequest));
        var refund = SharedStripeData.ReadBytes("events/charge.refunded.json");
        seen.Add(await PostWebhookAsync(app, http, refund, Sign(app, refund), HttpStatusCode.OK));
        var tier = await CallAsync(mcp, seen, "get_learner_tier", new() { ["learner_id"] = learnerId });
        Assert.Equal("free", tier.StructuredContent!.Value.GetProperty("tier").GetString());
        seen.Add(await GetAsync(http, "/health", HttpStatusCode.OK));

        // Stripe now rejects the key: the tool says so without repeating it (the fake echoes it back, as a careless proxy might).
        stripe.RejectKey = true;
        var rejected = await CallAsync(mcp, seen, "get_upgrade_url", new() { ["learner_id"] = learnerId });
        Assert.True(rejected.IsError);
        Assert.Equal("Payments are not available right now; please try again later.", TextOf(rejected));
        Assert.Contains("Stripe rejected the secret key", rejected.StructuredContent!.Value.GetProperty("operator_hint").GetString());
        seen.Add(await GetAsync(http, "/checkout/success?session_id=cs_test_hygiene_missing", HttpStatusCode.OK));

        Assert.Contains($"Bearer {SecretKey}", stripe.AuthorizationHeaders);
        Assert.True(stripe.Rejections > 0);
        var files = Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(path => $"{path}\n{Encoding.UTF8.GetString(File.ReadAllBytes(path))}")
            .ToList();
        Assert.NotEmpty(files);
        Assert.NotEmpty(logs.Records);
        Assert.Contains(logs.Records, r => r.StartsWith("Trace ", StringComparison.Ordinal) || r.StartsWith("Debug ", StringComparison.Ordinal));
        AssertNoSecret("log record", logs.Records);
        AssertNoSecret("tool result or response body", seen);
        AssertNoSecret("file under the data directory", files);
    }

    private static void AssertNoSecret(string where, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in new[] { SecretKey, WebhookSecret, McpToken, WrongToken, Marker })
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"A {where} holds {secret}:\n{text}");
            }
        }
    }

    private static async Task<CallToolResult> CallAsync(McpClient mcp, List<string> seen, string tool, Dictionary<string, object?> arguments)
    {
        var result = await mcp.CallToolAsync(tool, arguments);
        seen.Add(JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions));
        return result;
    }

    private static async Task<HttpResponseMessage> SendMcpAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"hygiene","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<string> GetAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PostWebhookAsync(TutorClawApp app, HttpClient http, byte[] body, string? header, HttpStatusCode expected)
    {
        using var response = await new WebhookSender(app, http).SendAsync(body, header);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Sign(TutorClawApp app, byte[] body) =>
        StripeSignatureHeader.Sign(WebhookSecret, app.Clock.GetUtcNow().ToUnixTimeSeconds(), body);

    private static string TextOf(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>What the fake Stripe was sent, and whether it now rejects the key.</summary>
    private sealed class FakeStripe
    {
        public volatile bool RejectKey;

        public string? Learner { get; set; }

        public ConcurrentBag<string> AuthorizationHeaders { get; } = [];

        public int Rejections;
    }

    /// <summary>A tiny in-memory Stripe: answers the price lookup, creates and retrieves one kind of checkout session, or answers 401
    /// with a message that repeats the key it was given.</summary>
    private sealed class FakeStripeHandler(FakeStripe state) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString() ?? "";
            state.AuthorizationHeaders.Add(authorization);
            if (state.RejectKey)
            {
                Interlocked.Increment(ref state.Rejections);
                var key = authorization.Replace("Bearer ", "", StringComparison.Ordinal);
                return Json(HttpStatusCode.Unauthorized, JsonSerializer.Serialize(
                    new { error = new { type = "invalid_request_error", message = $"Invalid API Key provided: {key}" } }));
            }
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Get && path.Contains("/v1/prices/", StringComparison.Ordinal))
            {
                // The paid price, asked about once: one-time, so get_upgrade_url opens mode=payment.
                return Json(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = path[(path.LastIndexOf('/') + 1)..],
                    ["object"] = "price",
                    ["active"] = true,
                    ["type"] = "one_time",
                    ["recurring"] = null,
                }));
            }
            if (request.Method == HttpMethod.Post && path.EndsWith("/v1/checkout/sessions", StringComparison.Ordinal))
            {
                var form = await request.Content!.ReadAsStringAsync(cancellationToken);
                state.Learner = Uri.UnescapeDataString(form.Split('&').First(p => p.StartsWith("client_reference_id=", StringComparison.Ordinal)).Split('=')[1]);
                return Json(HttpStatusCode.OK, Session("cs_test_hygiene_0001", state.Learner, "open", "unpaid"));
            }
            if (request.Method == HttpMethod.Get && path.EndsWith("/v1/checkout/sessions/cs_test_hygiene_0001", StringComparison.Ordinal))
            {
                return Json(HttpStatusCode.OK, Session("cs_test_hygiene_0001", state.Learner, "complete", "paid"));
            }
            return Json(HttpStatusCode.NotFound, """{"error":{"type":"invalid_request_error","message":"No such checkout session"}}""");
        }

        private static string Session(string id, string? learner, string status, string paymentStatus) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
            ["status"] = status,
            ["payment_status"] = paymentStatus,
            ["expires_at"] = 1_795_255_200,
            ["created"] = 1_795_168_800,
            ["payment_intent"] = paymentStatus == "paid" ? PaymentIntent : null,
            ["client_reference_id"] = learner,
            ["metadata"] = learner is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["learner_id"] = learner },
            ["amount_total"] = 1900,
            ["currency"] = "usd",
        });

        private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { "Request-Id", "req_fake_hygiene" } },
        };
    }
}
