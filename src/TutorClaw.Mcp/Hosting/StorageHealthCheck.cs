using Microsoft.Extensions.Diagnostics.HealthChecks;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Hosting;

/// <summary>Healthy while the repository's directory accepts writes (a full or read-only disk
/// means webhooks will answer 500 and Stripe will retry).</summary>
public sealed class StorageHealthCheck(ILearnerRepository repository) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(repository.Location, $".health-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The data directory does not accept writes."));
        }
    }
}
