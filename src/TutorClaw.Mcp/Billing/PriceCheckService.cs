using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>Asks Stripe about the paid price once at startup, in the background, so a price that
/// does not exist is in the log before any learner asks for a link (<see cref="PaidPlan"/> logs it).
/// Startup does not wait for it; a learner's request that comes first shares the same request.</summary>
public sealed class PriceCheckService(PaidPlan plan, IOptions<StripeOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return;
        }
        // Off the startup path: the host goes on starting while Stripe is asked.
        await Task.Yield();
        try
        {
            await plan.ChooseAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before Stripe answered: the next start asks again.
        }
    }
}
