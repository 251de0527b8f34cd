using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Telemetry;

/// <summary>
/// The metrics listener sees every meter of its name in the process; these tests count exact
/// numbers, so they run alone, not beside other in-process servers delivering webhooks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (counts exact numbers)";
}

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests : IDisposable
{
    private const string Token = "fake-metrics-token-for-tests-0001";
    private readonly TutorClawApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task After_one_applied_and_one_rejected_webhook_the_prometheus_text_counts_each_once()
    {
        using var client = _app.CreateClient();
        var webhook = new WebhookSender(_app, client);
        Assert.True(await _app.Learners.TryCreateAsync(Learner.CreateFree(LearnerId.Parse("learner_demo"), "Zoë", _app.Clock.GetUtcNow()), default));

        Assert.Equal(HttpStatusCode.OK, (await webhook.SendEventFileAsync("checkout.session.completed.json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await webhook.SendAsync("{}"u8.ToArray(), "t=1,v1=00")).StatusCode);
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, Sample(text, "tutorclaw_webhook_events_total", "type=\"checkout.session.completed\"", "outcome=\"applied\""));
        Assert.Equal(1, Sample(text, "tutorclaw_webhook_events_total", "type=\"unknown\"", "outcome=\"rejected\""));
        Assert.Equal(2, SumOf(text, "tutorclaw_webhook_events_total"));
        Assert.Equal(1, Sample(text, "tutorclaw_webhook_duration_seconds_count", "outcome=\"applied\""));
        Assert.Equal(0, Sample(text, "tutorclaw_payments_unmatched"));
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Fact]
    public async Task Stripe_requests_are_counted_by_operation_and_status()
    {
        using var client = _app.CreateClient();
        Assert.True(await _app.Learners.TryCreateAsync(Learner.CreateFree(LearnerId.Parse("learner_demo"), "Zoë", _app.Clock.GetUtcNow()), default));
        var reconciler = _app.Services.GetRequiredService<TutorClaw.Mcp.Billing.Reconciler>();

        // STRIPE_API_BASE is a closed loopback port in tests: every attempt fails to connect.
        var summary = await reconciler.RunAsync(null, null, default);
        var text = await client.GetStringAsync("/metrics");

        Assert.False(summary.Completed);
        Assert.True(Sample(text, "tutorclaw_stripe_requests_total", "operation=\"events.list\"", "status=\"error\"") >= 1, text);
    }

    [Fact]
    public async Task Metrics_are_refused_beyond_loopback_without_the_token_and_served_with_it()
    {
        _app.Settings["TUTORCLAW_MCP_TOKEN"] = Token;
        _app.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        using var client = _app.CreateClient();

        var anonymous = await client.GetAsync("/metrics");
        var wrong = await SendAsync(client, "not-the-token");
        var right = await SendAsync(client, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("tutorclaw_", await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("tutorclaw_payments_unmatched", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_token_metrics_serve_loopback_clients_only()
    {
        _app.Settings["TUTORCLAW_MCP_TOKEN"] = null;
        _app.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        using var client = _app.CreateClient();

        var response = await SendAsync(client, "anything");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>; 0 if none.</summary>
    private static double Sample(string text, string metric, params string[] labels)
    {
        var matches = Lines(text, metric).Where(l => labels.All(l.Labels.Contains)).ToList();
        Assert.True(matches.Count <= 1, $"several samples of {metric} match: {string.Join(" | ", matches)}");
        return matches.Count == 0 ? 0 : matches[0].Value;
    }

    private static double SumOf(string text, string metric) => Lines(text, metric).Sum(l => l.Value);

    private static IEnumerable<(string Labels, double Value)> Lines(string text, string metric) =>
        text.Split('\n')
            .Select(line => Regex.Match(line, "^" + Regex.Escape(metric) + @"(\{(?<labels>[^}]*)\})? (?<value>\S+)"))
            .Where(m => m.Success)
            .Select(m => (m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)));
}
