using Microsoft.Extensions.Options;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// Ends idle /mcp sessions on a timer, and every session when the host stops, so open GET streams
/// do not hold up shutdown.
/// </summary>
public sealed class McpSessionReaper(McpSessionStore sessions, IOptions<McpHttpOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval(options.Value.IdleTimeout), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await sessions.EndIdleSessionsAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await sessions.EndAllAsync();
    }

    /// <summary>A quarter of the timeout, between one second and one minute: a session outlives its
    /// timeout by at most that much.</summary>
    internal static TimeSpan SweepInterval(TimeSpan idleTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
}
