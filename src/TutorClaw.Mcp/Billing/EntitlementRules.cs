using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The payment rules as one pure function: a learner and an event in, the learner afterwards
/// out. Each event adds facts to one checkout (see <see cref="CheckoutFacts"/>); the checkout's
/// status is derived from those facts, and the learner's stored tier follows them by
/// <see cref="TierRules"/>, so the outcome does not depend on the order Stripe delivers events in,
/// and applying an event twice changes nothing.
/// </summary>
public static class EntitlementRules
{
    /// <summary>
    /// Returns <paramref name="learner"/> itself when the event was applied before (same event id)
    /// or adds nothing new; otherwise the updated learner. <paramref name="pastDueGrace"/> is
    /// TUTORCLAW_PAST_DUE_GRACE_DAYS, recorded on a subscription the event concerns.
    /// </summary>
    public static Learner Apply(Learner learner, PaymentEvent paymentEvent, DateTimeOffset now, TimeSpan? pastDueGrace = null)
    {
        if (paymentEvent.EventId is { } eventId && learner.AppliedEventIds.Contains(eventId))
        {
            return learner;
        }
        if (paymentEvent is SubscriptionChanged or InvoiceEvent)
        {
            return ApplySubscriptionEvent(learner, paymentEvent, now, pastDueGrace ?? SubscriptionRecord.DefaultPastDueGrace);
        }
        if (paymentEvent is ChargeRefunded or DisputeEvent
            && paymentEvent.PaymentIntentId is { } paidBy
            && learner.Subscriptions.FirstOrDefault(s => s.PaymentIntentIds.Contains(paidBy)) is { } subscription)
        {
            return ApplySubscriptionClawback(learner, subscription, paymentEvent, now);
        }

        var checkouts = learner.Checkouts.ToList();
        var existing = TakeMatching(checkouts, paymentEvent);
        var record = existing ?? NewRecord(paymentEvent, now);
        var updated = AddFacts(record, paymentEvent);
        if (existing is not null && updated == existing && paymentEvent.EventId is null)
        {
            return learner;
        }
        checkouts.Add(updated with { UpdatedAt = updated == existing ? existing.UpdatedAt : now });

        var result = learner with
        {
            Checkouts = checkouts.OrderBy(c => c.CreatedAt).ToList(),
            AppliedEventIds = paymentEvent.EventId is { } id ? [.. learner.AppliedEventIds, id] : learner.AppliedEventIds,
        };
        // The stored tier follows what the facts (and any operator decision) give; see TierRules.
        return TierRules.Settle(result, now);
    }

    /// <summary>
    /// A subscription or invoice event. Ordering rule (README "Entitlement rules"): a subscription
    /// snapshot applies only when its event is newer (by <c>created</c>) than the snapshot we hold for
    /// that subscription, a <c>deleted</c> winning a tie; once deleted, nothing revives it. We do not
    /// re-fetch the subscription from Stripe: the webhook answers from the event alone, and the
    /// reconciliation run replays the same events through this same rule.
    /// </summary>
    private static Learner ApplySubscriptionEvent(Learner learner, PaymentEvent paymentEvent, DateTimeOffset now, TimeSpan grace)
    {
        var (subscriptionId, customerId) = paymentEvent switch
        {
            SubscriptionChanged s => (s.SubscriptionId, s.CustomerId),
            InvoiceEvent i => (i.SubscriptionId, i.CustomerId),
            _ => throw new ArgumentOutOfRangeException(nameof(paymentEvent)),
        };
        var subscriptions = learner.Subscriptions.ToList();
        var index = subscriptions.FindIndex(s => s.SubscriptionId == subscriptionId);
        var existing = index >= 0 ? subscriptions[index] : null;
        var record = existing ?? new SubscriptionRecord { SubscriptionId = subscriptionId };
        record = record with { CustomerId = record.CustomerId ?? customerId, PastDueGrace = grace };
        var at = paymentEvent.Created;
        switch (paymentEvent)
        {
            case SubscriptionChanged change:
                var newer = record.StatusAsOf is not { } asOf || at > asOf || (at == asOf && change.Deleted);
                if (newer && record.EndedAt is null)
                {
                    record = record with
                    {
                        Status = change.Status,
                        StatusAsOf = at,
                        CancelAtPeriodEnd = change.CancelAtPeriodEnd,
                        CurrentPeriodEnd = change.CurrentPeriodEnd ?? record.CurrentPeriodEnd,
                    };
                }
                if (change.Deleted)
                {
                    // Final whatever came before: a late "updated" finds EndedAt and changes nothing.
                    record = record with
                    {
                        Status = "canceled",
                        StatusAsOf = record.StatusAsOf is { } held && held > at ? held : at,
                        EndedAt = Earliest(record.EndedAt, at),
                        CancelAtPeriodEnd = false,
                    };
                }
                break;
            case InvoicePaid invoicePaid:
                record = record with
                {
                    LastInvoicePaidAt = record.LastInvoicePaidAt is { } paid && paid > at ? paid : at,
                    PaymentIntentIds = invoicePaid.PaymentIntents.All(record.PaymentIntentIds.Contains)
                        ? record.PaymentIntentIds
                        : [.. record.PaymentIntentIds.Concat(invoicePaid.PaymentIntents).Distinct().TakeLast(SubscriptionRecord.MaxPaymentIntentsKept)],
                };
                break;
            case InvoicePaymentFailed when !record.InvoiceFailedAts.Contains(at):
                record = record with
                {
                    InvoiceFailedAts = [.. record.InvoiceFailedAts.Append(at).Order().TakeLast(SubscriptionRecord.MaxFailuresKept)],
                };
                break;
        }
        if (existing is not null && record == existing && paymentEvent.EventId is null)
        {
            return learner;
        }
        if (index >= 0)
        {
            subscriptions[index] = record;
        }
        else
        {
            subscriptions.Add(record);
        }
        var result = learner with
        {
            Subscriptions = subscriptions,
            StripeCustomerId = learner.StripeCustomerId ?? customerId,
            AppliedEventIds = paymentEvent.EventId is { } id ? [.. learner.AppliedEventIds, id] : learner.AppliedEventIds,
        };
        return TierRules.Settle(result, now);
    }

    /// <summary>
    /// A refund or dispute of a payment that paid one of the subscription's invoices: the one-time
    /// rules, applied to the subscription (README "Entitlement rules"). A full refund, or a dispute
    /// not won, ends the access it gives until a later invoice of it is paid; a partial refund
    /// leaves it alone; a won dispute gives it back.
    /// </summary>
    private static Learner ApplySubscriptionClawback(Learner learner, SubscriptionRecord subscription, PaymentEvent paymentEvent, DateTimeOffset now)
    {
        var at = paymentEvent.Created;
        var record = paymentEvent switch
        {
            ChargeRefunded { FullyRefunded: true } => subscription with { RefundedAt = Earliest(subscription.RefundedAt, at) },
            DisputeEvent dispute => subscription with
            {
                Dispute = Newer(subscription.Dispute, new DisputeFact(dispute.DisputeId, dispute.Status, at, at)),
            },
            _ => subscription,
        };
        var subscriptions = learner.Subscriptions.Select(s => ReferenceEquals(s, subscription) ? record : s).ToList();
        var result = learner with
        {
            Subscriptions = subscriptions,
            AppliedEventIds = paymentEvent.EventId is { } id ? [.. learner.AppliedEventIds, id] : learner.AppliedEventIds,
        };
        return TierRules.Settle(result, now);
    }

    /// <summary>Records a checkout session we just created, unless it is recorded already.</summary>
    public static Learner RecordOpenedCheckout(Learner learner, CheckoutRecord opened)
    {
        if (learner.Checkouts.Any(c => c.SessionId == opened.SessionId))
        {
            return learner;
        }
        return learner with { Checkouts = [.. learner.Checkouts, opened] };
    }

    /// <summary>
    /// Removes and returns the checkout the event concerns, merging the record keyed by session id
    /// with one that so far knew only the payment intent (a refund or dispute that overtook the
    /// session's own events).
    /// </summary>
    private static CheckoutRecord? TakeMatching(List<CheckoutRecord> checkouts, PaymentEvent paymentEvent)
    {
        var sessionId = (paymentEvent as SessionEvent)?.Session.SessionId;
        var paymentIntent = paymentEvent.PaymentIntentId;
        var matches = checkouts
            .Where(c => (sessionId is not null && c.SessionId == sessionId)
                || (paymentIntent is not null && c.PaymentIntentId == paymentIntent))
            .ToList();
        if (matches.Count == 0)
        {
            return null;
        }
        foreach (var match in matches)
        {
            checkouts.Remove(match);
        }
        return matches.Aggregate(Merge);
    }

    private static CheckoutRecord Merge(CheckoutRecord a, CheckoutRecord b) => a with
    {
        SessionId = a.SessionId ?? b.SessionId,
        PaymentIntentId = a.PaymentIntentId ?? b.PaymentIntentId,
        Url = a.Url ?? b.Url,
        ExpiresAt = a.ExpiresAt ?? b.ExpiresAt,
        AmountTotal = a.AmountTotal ?? b.AmountTotal,
        Currency = a.Currency ?? b.Currency,
        AmountRefunded = Max(a.AmountRefunded, b.AmountRefunded),
        CreatedAt = a.CreatedAt < b.CreatedAt ? a.CreatedAt : b.CreatedAt,
        UpdatedAt = a.UpdatedAt > b.UpdatedAt ? a.UpdatedAt : b.UpdatedAt,
        Facts = new CheckoutFacts
        {
            PaidAt = Earliest(a.Facts.PaidAt, b.Facts.PaidAt),
            PendingAt = Earliest(a.Facts.PendingAt, b.Facts.PendingAt),
            FailedAt = Earliest(a.Facts.FailedAt, b.Facts.FailedAt),
            ExpiredAt = Earliest(a.Facts.ExpiredAt, b.Facts.ExpiredAt),
            CanceledAt = Earliest(a.Facts.CanceledAt, b.Facts.CanceledAt),
            RefundedAt = Earliest(a.Facts.RefundedAt, b.Facts.RefundedAt),
            Dispute = Newer(a.Facts.Dispute, b.Facts.Dispute),
        },
    };

    private static CheckoutRecord NewRecord(PaymentEvent paymentEvent, DateTimeOffset now) => new()
    {
        SessionId = (paymentEvent as SessionEvent)?.Session.SessionId,
        PaymentIntentId = paymentEvent.PaymentIntentId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static CheckoutRecord AddFacts(CheckoutRecord record, PaymentEvent paymentEvent)
    {
        var facts = record.Facts;
        var at = paymentEvent.Created;
        record = record with { PaymentIntentId = record.PaymentIntentId ?? paymentEvent.PaymentIntentId };
        switch (paymentEvent)
        {
            case SessionEvent { Session: var session } sessionEvent:
                record = record with
                {
                    SessionId = record.SessionId ?? session.SessionId,
                    AmountTotal = record.AmountTotal ?? session.AmountTotal,
                    Currency = record.Currency ?? session.Currency,
                    ExpiresAt = record.ExpiresAt ?? session.ExpiresAt,
                };
                facts = sessionEvent switch
                {
                    CheckoutCompleted { Paid: true } or AsyncPaymentSucceeded => facts with { PaidAt = Earliest(facts.PaidAt, at) },
                    CheckoutCompleted { Paid: false } => facts with { PendingAt = Earliest(facts.PendingAt, at) },
                    AsyncPaymentFailed => facts with { FailedAt = Earliest(facts.FailedAt, at) },
                    CheckoutExpired => facts with { ExpiredAt = Earliest(facts.ExpiredAt, at) },
                    _ => facts,
                };
                break;
            case ChargeRefunded refund:
                // A charge that exists was paid; a refund or dispute is proof of the payment too.
                facts = facts with { PaidAt = facts.PaidAt ?? facts.RefundedAt ?? at };
                if (refund.FullyRefunded)
                {
                    facts = facts with { RefundedAt = Earliest(facts.RefundedAt, at) };
                }
                record = record with { AmountRefunded = Max(record.AmountRefunded, refund.AmountRefunded) };
                break;
            case DisputeEvent dispute:
                facts = facts with
                {
                    PaidAt = facts.PaidAt ?? at,
                    Dispute = Newer(facts.Dispute, new DisputeFact(dispute.DisputeId, dispute.Status, at, at)),
                };
                break;
        }
        return record with { Facts = facts };
    }

    /// <summary>The later word on a dispute wins; a late "created" cannot reopen a closed dispute.</summary>
    private static DisputeFact? Newer(DisputeFact? a, DisputeFact? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        var opened = a.OpenedAt < b.OpenedAt ? a.OpenedAt : b.OpenedAt;
        var newer = b.StatusAsOf > a.StatusAsOf || (b.StatusAsOf == a.StatusAsOf && IsClosed(b.Status) && !IsClosed(a.Status)) ? b : a;
        return newer with { OpenedAt = opened };
    }

    private static bool IsClosed(string status) => status is "won" or "lost" or "warning_closed";

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
