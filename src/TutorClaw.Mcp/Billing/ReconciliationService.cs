using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Runs reconciliation in the background: once shortly after startup, then every
/// TUTORCLAW_RECONCILE_MINUTES (0 turns both off). It never delays the doors: the first run
/// starts only after the host has started. The <see cref="Reconciler"/> (and with it the Stripe client)
/// is built only when reconciliation is on: the host builds every hosted service before it starts
/// any, so taking it in the constructor would put that work ahead of the stdio door's first answer.
/// </summary>
public sealed partial class ReconciliationService(
    IServiceProvider services,
    IOptions<ServerOptions> server,
    IOptions<StripeOptions> stripe,
    TimeProvider clock,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = server.Value.ReconcileInterval;
        if (interval <= TimeSpan.Zero || !stripe.Value.IsConfigured)
        {
            return;
        }
        await Task.Yield();
        var reconciler = services.GetRequiredService<Reconciler>();
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await reconciler.RunAsync(since: null, onPage: null, stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Storage trouble: the cursor stays where it was and the next tick tries again.
                LogStorageFailure(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation could not write to the data directory: {Reason}")]
    private partial void LogStorageFailure(string reason);
}
