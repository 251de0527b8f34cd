using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>Asks Stripe about the paid price once at startup, in the background, so a price that
/// does not exist is in the log before any learner asks for a link (<see cref="PaidPlan"/> logs it).
/// Startup does not wait for it; a learner's request that comes first shares the same request.
/// The plan (and with it the Stripe client, whose first use costs ~20 ms of Newtonsoft set-up) is
/// resolved only here: the host builds every hosted service before it starts any, ahead of the stdio
/// door's first answer.</summary>
public sealed class PriceCheckService(IServiceProvider services, IOptions<StripeOptions> options) : BackgroundService
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
            await services.GetRequiredService<PaidPlan>().ChooseAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before Stripe answered: the next start asks again.
        }
    }
}
