using System.Globalization;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// <c>dotnet run --project src/TutorClaw.Mcp -- reconcile [--since 72h] [--unmatched]</c>: one
/// catch-up run printed to stdout (a line per page, then a summary), or the unmatched-payments
/// log. Kestrel is not started, so it can run beside a live server on the same data directory.
/// </summary>
public static class ReconcileCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        if (commandLine.ListUnmatched)
        {
            var entries = await services.GetRequiredService<IUnmatchedPaymentLog>().ListAsync(cancellationToken);
            await output.WriteLineAsync($"{entries.Count} unmatched payment event(s)");
            foreach (var entry in entries)
            {
                var e = entry.Event;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Created:yyyy-MM-dd HH:mm}Z {e.EventId ?? "-"} {e.Type} learner={e.NamedLearnerId ?? "-"} payment_intent={e.PaymentIntentId ?? "-"}: {entry.Reason}"));
            }
            return 0;
        }

        var reconciler = services.GetRequiredService<Reconciler>();
        var summary = await reconciler.RunAsync(
            commandLine.ReconcileSince,
            (page, soFar) => output.WriteLine($"page {page}: seen {soFar.Seen}, applied {soFar.Applied}, already applied {soFar.AlreadyApplied}, unmatched {soFar.Unmatched}"),
            cancellationToken);
        await output.WriteLineAsync("reconcile: " + summary);
        return summary.Completed ? 0 : 1;
    }
}
