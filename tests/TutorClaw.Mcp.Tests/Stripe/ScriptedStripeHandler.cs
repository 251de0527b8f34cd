using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using Moq.Protected;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Tests.Stripe;

/// <summary>
/// A Moq-mocked <see cref="HttpMessageHandler"/> under the real Stripe.net client, answering from a
/// script, one step per request, and recording what it was sent (bodies read while the request is
/// alive). No network, no sleeps: a "hang" step waits only for its cancellation token.
/// </summary>
internal sealed class ScriptedStripeHandler
{
    public const string SecretKey = "sk_test_fakeUnitTestsKeyNotReal00000000000000";

    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly List<CapturedRequest> _requests = [];

    public ScriptedStripeHandler()
    {
        Mock.Protected()
            .Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .Returns<HttpRequestMessage, CancellationToken>(HandleAsync);
    }

    public Mock<HttpMessageHandler> Mock { get; } = new();

    public IReadOnlyList<CapturedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public ListLogger<StripeNetAdapter> Logger { get; } = new();

    public ScriptedStripeHandler Then(int status, string body = "{}", params (string Name, string Value)[] headers)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            response.Headers.TryAddWithoutValidation("Request-Id", $"req_unit_{_requests.Count}");
            foreach (var (name, value) in headers)
            {
                response.Headers.Remove(name);
                response.Headers.TryAddWithoutValidation(name, value);
            }
            return Task.FromResult(response);
        });
        return this;
    }

    public ScriptedStripeHandler ThenError(int status, string type, string message, string? code = null, string? param = null,
        params (string Name, string Value)[] headers) =>
        Then(status, ErrorJson(type, message, code, param), headers);

    /// <summary>Never answers; ends only when the request is cancelled (a timeout or the caller).</summary>
    public ScriptedStripeHandler ThenHang(Action? whenReached = null)
    {
        _script.Enqueue(async (_, cancellationToken) =>
        {
            whenReached?.Invoke();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    public ScriptedStripeHandler ThenThrow(Exception exception)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    /// <summary>The adapter over a real Stripe.net client whose HTTP goes to this handler, built
    /// the way the host builds it, except that Stripe.net's retry back-off is turned off.</summary>
    public StripeNetAdapter CreateClient(Action<StripeOptions>? configure = null)
    {
        var options = new StripeOptions
        {
            SecretKey = SecretKey,
            PaidPriceId = "price_unit_paid",
            ApiBase = new Uri("https://api.stripe.test"),
        };
        configure?.Invoke(options);
        var client = StripeServices.CreateClient(options, new HttpClient(Mock.Object) { Timeout = options.RequestTimeout });
        TurnOffRetrySleep(client);
        return new StripeNetAdapter(client, Options.Create(options), Logger);
    }

    /// <summary>
    /// Stripe.net sleeps 0.5 s to 5 s between retries, and offers no public way to change that:
    /// its switch, <c>SystemNetHttpClient.NetworkRetriesSleep</c>, is internal, "meant to be used
    /// in tests only" (its own tests reach it through InternalsVisibleTo). We reach it by
    /// reflection, and fail loudly if a library update renames it.
    /// </summary>
    private static void TurnOffRetrySleep(global::Stripe.StripeClient client)
    {
        var http = Assert.IsType<global::Stripe.SystemNetHttpClient>(client.HttpClient);
        var sleep = typeof(global::Stripe.SystemNetHttpClient).GetProperty(
            "NetworkRetriesSleep", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(sleep);
        sleep.SetValue(http, false);
    }

    public void VerifySent(int times) =>
        Mock.Protected().Verify(
            "SendAsync", Times.Exactly(times), ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>());

    public static string ErrorJson(string type, string message, string? code = null, string? param = null) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new { type, code, message, param } });

    private async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers
            .Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        lock (_requests)
        {
            _requests.Add(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
        }
        if (!_script.TryDequeue(out var step))
        {
            throw new InvalidOperationException($"The script has no answer for request {_requests.Count}.");
        }
        return await step(request, cancellationToken);
    }
}

internal sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
