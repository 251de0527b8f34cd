using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Telemetry;

namespace TutorClaw.Mcp.Stripe;

public static class StripeServices
{
    /// <summary>
    /// Registers <see cref="IStripeApi"/> as a typed HttpClient (<see cref="StripeRestClient"/>).
    /// Reads <see cref="StripeOptions"/>; AddTutorClawOptions configures them from SPEC §2's variables.
    /// </summary>
    public static IServiceCollection AddStripeApi(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>();
        services.AddTutorClawMetrics();
        services.AddHttpClient<IStripeApi, StripeRestClient>()
            // Pooled connections are renewed by the handler itself, so a client captured by a
            // singleton (billing, reconciliation) still follows DNS changes; the factory then
            // has no reason to rotate handlers.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                // An API answer is never a redirect we should follow with the key attached.
                AllowAutoRedirect = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<StripeMetricsHandler>();
        return services;
    }
}
