using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Telemetry;

/// <summary>
/// OpenTelemetry: our own instruments (<see cref="TutorClawMetrics"/>), the MCP SDK's, ASP.NET
/// Core's and HttpClient's, served at GET /metrics in Prometheus text and, when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, pushed over OTLP (metrics and traces; the exporter reads
/// the OTEL_EXPORTER_OTLP_* variables itself). Nothing is written to stdout.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddTutorClawTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTutorClawMetrics();
        var otlp = SettingsTranslation.Read(configuration, ConfigurationKeys.OtlpEndpoint) is not null;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tutorclaw-mcp"))
            .WithMetrics(metrics =>
            {
                // Our instruments exist once TutorClawMetrics is built; the meter provider builds it,
                // so the gauges are served even before anything records (nothing else builds it at start).
                metrics.AddInstrumentation(sp => sp.GetRequiredService<TutorClawMetrics>())
                    .AddMeter(TutorClawMetrics.MeterName)
                    .AddMeter(TutorClawMetrics.McpSdkMeters)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(TutorClawMetrics.McpSdkMeters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>
    /// Starts building the meter provider (every instrument, the Prometheus exporter: ~40 ms) on a
    /// pool thread. The host's start-up validation needs it (Microsoft.Extensions.Diagnostics hooks
    /// its metrics listeners, OpenTelemetry's among them, there), so without this it would be built
    /// on the main thread, ahead of the stdio door's first answer. The container makes the
    /// validation wait if the build is not done by then.
    /// </summary>
    public static WebApplication BuildMetersAside(this WebApplication app)
    {
        var services = app.Services;
        // A thread of its own, not one of the pool's two: the stdio session runs on the pool.
        _ = Task.Factory.StartNew(
            () => services.GetService<MeterProvider>(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return app;
    }

    /// <summary>GET /metrics, Prometheus text format, behind <see cref="MetricsAccess"/>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: MetricsAccess.Guard, optionsName: null);
        return endpoints;
    }
}
