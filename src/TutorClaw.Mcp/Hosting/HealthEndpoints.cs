using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Hosting;

public static class HealthEndpoints
{
    public static IServiceCollection AddTutorClawHealth(this IServiceCollection services)
    {
        // The check of whichever store runs: the data directory's, or the database's.
        services.AddHealthChecks().Add(new HealthCheckRegistration("storage", sp =>
            sp.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured
                ? ActivatorUtilities.CreateInstance<PostgresHealthCheck>(sp)
                : ActivatorUtilities.CreateInstance<StorageHealthCheck>(sp),
            failureStatus: null, tags: null));
        return services;
    }

    /// <summary>GET /health (SPEC §8): status, Stripe mode, webhook readiness, repository. No secrets.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var stripe = context.RequestServices.GetRequiredService<IOptions<StripeOptions>>().Value;
        var repository = context.RequestServices.GetRequiredService<ILearnerRepository>();
        var document = new HealthDocument(
            Status: report.Status == HealthStatus.Healthy ? "ok" : "unhealthy",
            StripeMode: stripe.Mode.Describe(),
            WebhooksVerifiable: stripe.CanVerifyWebhooks,
            Repository: new RepositoryHealth(repository.Kind, repository.Location, report.Status == HealthStatus.Healthy));
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, document, HealthJsonContext.Default.HealthDocument, context.RequestAborted);
    }
}
