using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

/// <summary>Healthy while the database answers and accepts writes (a read-only standby does not).
/// The description names the database (host/database), never a user or password.</summary>
public sealed class PostgresHealthCheck(PostgresDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var writable = await database.RunAsync(async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            }, cancellationToken).ConfigureAwait(false);
            return writable
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The PostgreSQL database {database.Location} is read-only (a standby).");
        }
        catch (StoreUnavailableException)
        {
            return HealthCheckResult.Unhealthy($"The PostgreSQL database {database.Location} is unreachable.");
        }
    }
}
