using System.CommandLine;
using System.Globalization;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// <c>reconcile [--since 72h] [--unmatched]</c>: one catch-up run printed to stdout (a line per
/// page, then a summary), or the unmatched-payments log. Kestrel is not started, so it can run
/// beside a live server on the same data directory.
/// </summary>
public sealed class ReconcileCommand(TimeSpan? since, bool listUnmatched)
{
    /// <summary>The command's registration in <see cref="CommandLineDefinition.Root"/>.</summary>
    public static ServiceCommand Definition()
    {
        var since = new Option<TimeSpan?>("--since")
        {
            Description = "Look back this far in Stripe's event log (72h, 3d, 90m; at most Stripe's 30 days) instead of from where the last run got.",
            HelpName = "duration",
            CustomParser = result =>
            {
                var duration = CommandLine.ParseDuration(result.Tokens.Count == 1 ? result.Tokens[0].Value : "");
                if (duration is null)
                {
                    result.AddError("--since needs a duration such as 72h, 3d or 90m.");
                }
                return duration;
            },
        };
        var unmatched = new Option<bool>("--unmatched") { Description = "List the unmatched-payments log instead of running." };
        return new ServiceCommand(
            "reconcile",
            "Catch up with Stripe's event log once (beside a running server; opens no port). Exit 0 when the run finished, 1 when Stripe failed part-way.",
            parsed => new ReconcileCommand(parsed.GetValue(since), parsed.GetValue(unmatched)).RunAsync)
        {
            since,
            unmatched,
        };
    }

    public TimeSpan? Since => since;

    public bool ListUnmatched => listUnmatched;

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        if (listUnmatched)
        {
            var entries = await services.GetRequiredService<IUnmatchedPaymentLog>().ListAsync(cancellationToken);
            await output.WriteLineAsync($"{entries.Count} unmatched payment event(s)");
            foreach (var entry in entries)
            {
                var e = entry.Event;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Created:yyyy-MM-dd HH:mm}Z {e.EventId ?? "-"} {e.Type} learner={e.NamedLearnerId ?? "-"} payment_intent={e.PaymentIntentId ?? "-"}: {entry.Reason}"));
            }
            return CommandLine.ExitOk;
        }

        var reconciler = services.GetRequiredService<Reconciler>();
        var summary = await reconciler.RunAsync(
            since,
            (page, soFar) => output.WriteLine($"page {page}: seen {soFar.Seen}, applied {soFar.Applied}, already applied {soFar.AlreadyApplied}, unmatched {soFar.Unmatched}"),
            cancellationToken);
        await output.WriteLineAsync("reconcile: " + summary);
        return summary.Completed ? CommandLine.ExitOk : CommandLine.ExitFailed;
    }
}
