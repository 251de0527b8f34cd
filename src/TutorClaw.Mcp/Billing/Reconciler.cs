using System.Text.Json;
using StripeEvent = Stripe.Event;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Catches up with Stripe's event log (SPEC §7): lists the event types we handle, newest first,
/// back to where the last finished run got (or Stripe's 30-day window), and feeds each through
/// <see cref="PaymentEventApplier"/> — the webhook's own path — so events already applied change
/// nothing. Progress is saved after every page, so a run cut short resumes where it stopped.
/// </summary>
/// <remarks>
/// The cursor is advanced only by finished runs, never by webhooks: a webhook for a newer event
/// says nothing about older ones that were missed while the server was down.
/// </remarks>
public sealed partial class Reconciler(
    IStripeApi stripe,
    PaymentEventApplier applier,
    IOptions<StripeOptions> stripeOptions,
    IReconciliationCursorStore cursors,
    TimeProvider clock,
    ILogger<Reconciler> logger)
{
    /// <summary>Stripe keeps events for 30 days.</summary>
    public static readonly TimeSpan StripeWindow = TimeSpan.FromDays(30);

    /// <summary>Re-read a little before the last finished run, for events whose created time
    /// is slightly older than the moment they became visible in the list.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(10);

    /// <summary>Why a run was skipped: another replica is reconciling the same store.</summary>
    public const string AnotherRunHoldsTheStore = "another replica is reconciling this store; this round is skipped.";

    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);

    /// <summary>Events per page; Stripe allows up to 100. Tests use small pages to exercise paging.</summary>
    public int PageSize { get; set; } = 100;

    /// <param name="since">Look back this far instead of from the cursor (clamped to Stripe's window).</param>
    /// <param name="onPage">Progress callback, one call per page applied.</param>
    public async Task<ReconciliationSummary> RunAsync(TimeSpan? since, Action<int, ReconciliationSummary>? onPage, CancellationToken cancellationToken)
    {
        if (!stripeOptions.Value.IsConfigured)
        {
            return new ReconciliationSummary(0, 0, 0, 0, 0, 0, false, "Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_PRICE_ID_PAID).");
        }
        await _oneRunAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var claim = await cursors.TryClaimRunAsync(cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                LogSkipped();
                return new ReconciliationSummary(0, 0, 0, 0, 0, 0, false, AnotherRunHoldsTheStore);
            }
            return await RunLockedAsync(since, onPage, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    public Task<ReconciliationCursor> ReadCursorAsync(CancellationToken cancellationToken) => cursors.ReadAsync(cancellationToken);

    private async Task<ReconciliationSummary> RunLockedAsync(TimeSpan? since, Action<int, ReconciliationSummary>? onPage, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var oldest = now - StripeWindow;
        var cursor = await cursors.ReadAsync(cancellationToken).ConfigureAwait(false);
        var resolved = await applier.RetryUnmatchedAsync(cancellationToken).ConfigureAwait(false);

        var run = since is { } lookBack
            ? new PendingRun(Max(now - lookBack, oldest), now, null, 0)
            : cursor.Pending ?? new PendingRun(Max((cursor.CompleteThrough ?? oldest) - Overlap, oldest), now, null, 0);

        var summary = new ReconciliationSummary(0, 0, 0, 0, 0, resolved, false, null);
        var types = StripeEventTranslator.HandledTypes.Order(StringComparer.Ordinal).ToList();
        var query = new EventListQuery(types, run.Floor, run.StartingAfter, PageSize);
        // Stripe.net fetches the next page when this one is read; a page is done once PageSize
        // events of it are applied, and only then does the resume point move past it.
        var inPage = 0;
        string? lastId = null;
        await foreach (var item in stripe.ListEventsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsSuccess)
            {
                // Keep the cursor where the last fully applied page left it; the next run resumes there.
                await cursors.SaveAsync(cursor with { Pending = run }, cancellationToken).ConfigureAwait(false);
                LogStopped(item.Failure.Message);
                return summary with { Failure = item.Failure.Message };
            }
            summary = await ApplyOneAsync(item.Value, summary, cancellationToken).ConfigureAwait(false);
            lastId = item.Value.Id;
            if (++inPage == PageSize)
            {
                (run, summary) = PageDone(run, summary, lastId, onPage);
                await cursors.SaveAsync(cursor with { Pending = run }, cancellationToken).ConfigureAwait(false);
                inPage = 0;
            }
        }
        if (inPage > 0 || summary.Pages == 0)
        {
            (run, summary) = PageDone(run, summary, lastId, onPage);
        }
        await cursors.SaveAsync(new ReconciliationCursor(run.StartedAt, null), cancellationToken).ConfigureAwait(false);
        summary = summary with { Completed = true };
        LogFinished(summary.ToString());
        return summary;
    }

    private static (PendingRun Run, ReconciliationSummary Summary) PageDone(
        PendingRun run, ReconciliationSummary summary, string? lastId, Action<int, ReconciliationSummary>? onPage)
    {
        summary = summary with { Pages = summary.Pages + 1 };
        run = run with { StartingAfter = lastId ?? run.StartingAfter, PagesDone = run.PagesDone + 1 };
        onPage?.Invoke(run.PagesDone, summary);
        return (run, summary);
    }

    private async Task<ReconciliationSummary> ApplyOneAsync(StripeEvent stripeEvent, ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        summary = summary with { Seen = summary.Seen + 1 };
        if (StripeEventTranslator.Translate(stripeEvent) is not ParsedEvent.Handled handled)
        {
            return summary;
        }
        return await applier.ApplyAsync(handled.Event, cancellationToken).ConfigureAwait(false) switch
        {
            ApplyOutcome.Applied => summary with { Applied = summary.Applied + 1 },
            ApplyOutcome.AlreadyApplied => summary with { AlreadyApplied = summary.AlreadyApplied + 1 },
            _ => summary with { Unmatched = summary.Unmatched + 1 },
        };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation stopped early, will resume from the last applied page: {Reason}")]
    private partial void LogStopped(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciliation skipped: another replica is reconciling this store")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation finished: {Summary}")]
    private partial void LogFinished(string summary);
}
