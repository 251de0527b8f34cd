using Microsoft.Extensions.Diagnostics.HealthChecks;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Hosting;

/// <summary>/health's "storage" check: asks whichever store runs how it is (the store knows how
/// it is checked; nothing here knows which store it is).</summary>
public sealed class StorageHealthCheck(IStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();
    }
}
