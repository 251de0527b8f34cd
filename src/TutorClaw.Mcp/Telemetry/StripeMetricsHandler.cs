using System.Diagnostics;

namespace TutorClaw.Mcp.Telemetry;

/// <summary>
/// On the Stripe API's HttpClient: counts and times each request (each retry attempt too) by
/// operation and status. The status is the HTTP status code, or <c>timeout</c> / <c>error</c>
/// when no answer came.
/// </summary>
public sealed class StripeMetricsHandler(TutorClawMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = OperationOf(request.Method, request.RequestUri);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.StripeRequest(operation, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (OperationCanceledException)
        {
            metrics.StripeRequest(operation, "timeout", Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (HttpRequestException)
        {
            metrics.StripeRequest(operation, "error", Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>Stripe's own names for the calls we make; ids never become tag values.</summary>
    internal static string OperationOf(HttpMethod method, Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? "").Trim('/').Split('/');
        var v1 = Array.IndexOf(segments, "v1");
        var path = v1 < 0 ? [] : segments[(v1 + 1)..];
        return (method.Method, path) switch
        {
            ("POST", ["checkout", "sessions"]) => "checkout.sessions.create",
            ("GET", ["checkout", "sessions", _]) => "checkout.sessions.retrieve",
            ("POST", ["checkout", "sessions", _, "expire"]) => "checkout.sessions.expire",
            ("GET", ["events"]) => "events.list",
            ("GET", ["events", _]) => "events.retrieve",
            _ => "other",
        };
    }
}
