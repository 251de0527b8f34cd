using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The one idempotent path by which money changes access. The webhook, the success page and the
/// reconciliation run all come through here, so the rules and the "already applied" memory live
/// in one place. Returns only once the effect is on disk; a storage failure is thrown so the
/// caller can answer 500 and Stripe redelivers.
/// </summary>
public sealed partial class PaymentEventApplier(
    ILearnerRepository learners,
    IPaymentIntentIndex paymentIntents,
    IStripeApi stripe,
    IUnmatchedPaymentLog unmatched,
    IStore store,
    IOptions<ServerOptions> server,
    TimeProvider clock,
    ILogger<PaymentEventApplier> logger)
{
    public async Task<ApplyOutcome> ApplyAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        var outcome = await ApplyOnceAsync(paymentEvent, cancellationToken).ConfigureAwait(false);
        var learner = outcome switch
        {
            ApplyOutcome.Applied a => a.Learner.Value,
            ApplyOutcome.AlreadyApplied a => a.Learner.Value,
            _ => "none",
        };
        LogHandled(paymentEvent.Type, paymentEvent.EventId ?? "(success page)", learner, outcome.Describe());
        return outcome;
    }

    /// <summary>Tries again every event in the unmatched log; those whose learner now exists are applied and leave the log.</summary>
    public async Task<int> RetryUnmatchedAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var entry in await unmatched.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var learner = await ResolveAsync(entry.Event, cancellationToken).ConfigureAwait(false);
            if (learner is null)
            {
                continue;
            }
            var outcome = await ApplyAsync(entry.Event, cancellationToken).ConfigureAwait(false);
            if (outcome is not ApplyOutcome.Unmatched)
            {
                await unmatched.ResolveAsync(entry.Event, cancellationToken).ConfigureAwait(false);
                applied++;
            }
        }
        return applied;
    }

    private async Task<ApplyOutcome> ApplyOnceAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        var learnerId = await ResolveAsync(paymentEvent, cancellationToken).ConfigureAwait(false);
        if (learnerId is not { } id)
        {
            return await KeepUnmatchedAsync(paymentEvent, paymentEvent.NamedLearnerId is null
                ? "the event names no learner and its payment intent is not one of ours"
                : "the learner it names is not registered here", cancellationToken).ConfigureAwait(false);
        }

        // A later refund or dispute finds the learner through this binding, so it must be on disk
        // before the caller acknowledges the event. It is a different record from the learner's, so
        // the two are written side by side, and the store commits them together where it can. Their
        // order does not matter: a crash between them means no 200 was sent, so Stripe redelivers (or
        // reconciliation replays) and this path binds again, first binding winning, while the
        // learner update finds the event already applied.
        // A subscription's invoice is bound the same way, by the payment intents that paid it.
        if (paymentEvent is InvoicePaid { PaymentIntents.Count: 0 } unbound)
        {
            paymentEvent = await WithPaymentIntentsAsync(unbound, cancellationToken).ConfigureAwait(false);
        }
        IReadOnlyList<string> toBind = paymentEvent switch
        {
            SessionEvent { Session.PaymentIntentId: { } paymentIntent } => [paymentIntent],
            InvoicePaid invoicePaid => invoicePaid.PaymentIntents,
            _ => [],
        };

        Learner? before = null;
        Learner? after = null;
        async Task UpdateLearner() => after = await learners.UpdateAsync(
            id,
            learner =>
            {
                before = learner;
                return EntitlementRules.Apply(learner, paymentEvent, clock.GetUtcNow(), server.Value.PastDueGrace);
            },
            cancellationToken).ConfigureAwait(false);
        if (toBind.Count == 0)
        {
            await UpdateLearner().ConfigureAwait(false);
        }
        else
        {
            // Never returns (or throws) while the binding may still be unwritten; its failure fails the event.
            // The binding takes no lock, so neither side can wait for the other (which a shared commit forbids).
            await store.WriteSideBySideAsync(
                () => Task.WhenAll(toBind.Select(pi => paymentIntents.BindAsync(pi, id, CancellationToken.None))),
                UpdateLearner).ConfigureAwait(false);
        }

        if (after is null || before is null)
        {
            return await KeepUnmatchedAsync(paymentEvent, "the learner it names is not registered here", cancellationToken).ConfigureAwait(false);
        }
        return ReferenceEquals(after, before)
            ? new ApplyOutcome.AlreadyApplied(id)
            : new ApplyOutcome.Applied(id, before.Tier, after.Tier);
    }

    /// <summary>
    /// An invoice.paid whose event did not include its payments (<c>payments</c> is includable): ask
    /// Stripe which payment intents paid it, so a later refund or dispute of that charge finds the
    /// learner. If Stripe cannot answer, the invoice still applies (access does not wait on it); a
    /// refund of that charge would then go to the unmatched log, so the miss is logged.
    /// </summary>
    private async Task<InvoicePaid> WithPaymentIntentsAsync(InvoicePaid invoicePaid, CancellationToken cancellationToken)
    {
        var payments = await stripe.ListInvoicePaymentsAsync(invoicePaid.InvoiceId, cancellationToken).ConfigureAwait(false);
        if (!payments.IsSuccess)
        {
            LogInvoiceUnbound(invoicePaid.InvoiceId, payments.Failure.Message);
            return invoicePaid;
        }
        return invoicePaid with { PaidByPaymentIntents = payments.Value.PaymentIntentIds };
    }

    /// <summary>The learner the event names (metadata, client_reference_id) if registered here;
    /// otherwise the learner whose checkout created the event's payment intent.</summary>
    private async Task<LearnerId?> ResolveAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        if (LearnerId.TryParse(paymentEvent.NamedLearnerId, out var named)
            && await learners.ExistsAsync(named, cancellationToken).ConfigureAwait(false))
        {
            return named;
        }
        return await paymentIntents.FindAsync(paymentEvent.PaymentIntentId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApplyOutcome> KeepUnmatchedAsync(PaymentEvent paymentEvent, string reason, CancellationToken cancellationToken)
    {
        await unmatched.RecordAsync(paymentEvent, reason, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new ApplyOutcome.Unmatched(reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoice {InvoiceId} applied, but which payment paid it is unknown ({Detail}); a refund or dispute of it will be kept as unmatched")]
    private partial void LogInvoiceUnbound(string invoiceId, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventType} {EventId} learner {LearnerId}: {Outcome}")]
    private partial void LogHandled(string eventType, string eventId, string learnerId, string outcome);
}
