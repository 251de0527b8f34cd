using Microsoft.Extensions.Options;
using Stripe;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Telemetry;

namespace TutorClaw.Mcp.Stripe;

public static class StripeServices
{
    /// <summary>The named HttpClient Stripe.net sends through.</summary>
    public const string HttpClientName = "Stripe";

    /// <summary>
    /// One Stripe.net <see cref="StripeClient"/> on an <see cref="IHttpClientFactory"/> client
    /// (its timeout is per attempt, as each retry is its own send), with the library's own
    /// retries; and <see cref="IStripeApi"/>, the seam Billing uses, over it.
    /// </summary>
    public static IServiceCollection AddStripeApi(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>();
        services.AddTutorClawMetrics();
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((provider, http) =>
                http.Timeout = provider.GetRequiredService<IOptions<StripeOptions>>().Value.RequestTimeout)
            // Pooled connections are renewed by the handler itself, so the one client still
            // follows DNS changes; the factory then has no reason to rotate handlers.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                // An API answer is never a redirect we should follow with the key attached.
                AllowAutoRedirect = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<StripeMetricsHandler>();
        services.AddSingleton(provider => CreateClient(
            provider.GetRequiredService<IOptions<StripeOptions>>().Value,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.AddSingleton<IStripeApi, StripeNetAdapter>();
        return services;
    }

    /// <summary>Stripe.net's client over <paramref name="http"/>: <c>STRIPE_API_BASE</c>, our retry
    /// count, no telemetry header.</summary>
    internal static StripeClient CreateClient(StripeOptions options, HttpClient http)
    {
        // A key that cannot go in a header is refused by the adapter before any call, with a
        // sentence naming the variable; Stripe.net would throw here instead.
        var key = options.SecretKey is { } secret && IsSendableKey(secret) ? secret : null;
        return new StripeClient(
            apiKey: key,
            httpClient: new SystemNetHttpClient(http, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
            apiBase: options.ApiBase.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    /// <summary>Visible ASCII only: anything else (a pasted newline, say) cannot go in a header.</summary>
    internal static bool IsSendableKey(string value) =>
        value.Length > 0 && value.All(c => c is > ' ' and < (char)0x7F);
}
