using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TutorClaw.Mcp.Telemetry;

public static class MetricsServices
{
    /// <summary>
    /// Our instruments and the Stripe client's recording handler. Called by every registration that
    /// records (the Stripe client, the telemetry setup), so each stands alone; adding twice is harmless.
    /// </summary>
    public static IServiceCollection AddTutorClawMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TutorClawMetrics>();
        services.TryAddTransient<StripeMetricsHandler>();
        return services;
    }
}
