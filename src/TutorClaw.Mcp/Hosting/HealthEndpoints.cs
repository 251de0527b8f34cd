using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Hosting;

public static class HealthEndpoints
{
    public static IServiceCollection AddTutorClawHealth(this IServiceCollection services)
    {
        // The store says how it is checked: the data directory's, or the database's.
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
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
        var store = context.RequestServices.GetRequiredService<IStore>();
        var document = new HealthDocument(
            Status: report.Status == HealthStatus.Healthy ? "ok" : "unhealthy",
            StripeMode: stripe.Mode.Describe(),
            WebhooksVerifiable: stripe.CanVerifyWebhooks,
            Repository: new RepositoryHealth(store.Kind, store.Location, report.Status == HealthStatus.Healthy));
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, document, HealthJsonContext.Default.HealthDocument, context.RequestAborted);
    }
}
