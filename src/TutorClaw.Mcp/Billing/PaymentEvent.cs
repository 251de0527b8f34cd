using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// A Stripe event reduced to what our payment rules read: ids, statuses and amounts, never
/// personal or card data. Webhooks, the reconciliation run and the success page all produce
/// these and hand them to <see cref="PaymentEventApplier"/>.
/// </summary>
/// <param name="EventId">Stripe's evt_… id; null for facts learned outside an event (the success page).</param>
/// <param name="Created">The event's <c>created</c> time (Stripe's clock).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CheckoutCompleted), "checkout_completed")]
[JsonDerivedType(typeof(AsyncPaymentSucceeded), "async_payment_succeeded")]
[JsonDerivedType(typeof(AsyncPaymentFailed), "async_payment_failed")]
[JsonDerivedType(typeof(CheckoutExpired), "checkout_expired")]
[JsonDerivedType(typeof(ChargeRefunded), "charge_refunded")]
[JsonDerivedType(typeof(DisputeCreated), "dispute_created")]
[JsonDerivedType(typeof(DisputeClosed), "dispute_closed")]
[JsonDerivedType(typeof(SubscriptionChanged), "subscription_changed")]
[JsonDerivedType(typeof(InvoicePaid), "invoice_paid")]
[JsonDerivedType(typeof(InvoicePaymentFailed), "invoice_payment_failed")]
public abstract record PaymentEvent(string? EventId, string Type, DateTimeOffset Created)
{
    /// <summary>The learner as the event itself names it (metadata, then client_reference_id), if it does.</summary>
    public abstract string? NamedLearnerId { get; }

    /// <summary>The payment intent the event concerns, if any: the key that ties charges and
    /// disputes (which carry no learner) back to the checkout that was paid.</summary>
    public abstract string? PaymentIntentId { get; }
}

/// <summary>The checkout.session fields we read.</summary>
public sealed record SessionSnapshot(
    string SessionId,
    string? LearnerId,
    string? PaymentIntentId,
    long? AmountTotal,
    string? Currency,
    DateTimeOffset? ExpiresAt);

public abstract record SessionEvent(string? EventId, string Type, DateTimeOffset Created, SessionSnapshot Session)
    : PaymentEvent(EventId, Type, Created)
{
    public override string? NamedLearnerId => Session.LearnerId;

    public override string? PaymentIntentId => Session.PaymentIntentId;
}

/// <summary>checkout.session.completed; <paramref name="Paid"/> false for delayed methods still settling.</summary>
public sealed record CheckoutCompleted(string? EventId, string Type, DateTimeOffset Created, SessionSnapshot Session, bool Paid)
    : SessionEvent(EventId, Type, Created, Session);

public sealed record AsyncPaymentSucceeded(string? EventId, string Type, DateTimeOffset Created, SessionSnapshot Session)
    : SessionEvent(EventId, Type, Created, Session);

public sealed record AsyncPaymentFailed(string? EventId, string Type, DateTimeOffset Created, SessionSnapshot Session)
    : SessionEvent(EventId, Type, Created, Session);

public sealed record CheckoutExpired(string? EventId, string Type, DateTimeOffset Created, SessionSnapshot Session)
    : SessionEvent(EventId, Type, Created, Session);

/// <summary>charge.refunded. <paramref name="FullyRefunded"/> is Stripe's <c>refunded</c> flag; a
/// partial refund is recorded but leaves access alone.</summary>
public sealed record ChargeRefunded(
    string? EventId, string Type, DateTimeOffset Created, string ChargeId, string? ChargePaymentIntentId, string? MetadataLearnerId,
    bool FullyRefunded, long AmountRefunded) : PaymentEvent(EventId, Type, Created)
{
    public override string? NamedLearnerId => MetadataLearnerId;

    public override string? PaymentIntentId => ChargePaymentIntentId;
}

public abstract record DisputeEvent(
    string? EventId, string Type, DateTimeOffset Created, string DisputeId, string? ChargeId, string? DisputePaymentIntentId,
    string? MetadataLearnerId, string Status) : PaymentEvent(EventId, Type, Created)
{
    public override string? NamedLearnerId => MetadataLearnerId;

    public override string? PaymentIntentId => DisputePaymentIntentId;
}

public sealed record DisputeCreated(
    string? EventId, string Type, DateTimeOffset Created, string DisputeId, string? ChargeId, string? DisputePaymentIntentId,
    string? MetadataLearnerId, string Status)
    : DisputeEvent(EventId, Type, Created, DisputeId, ChargeId, DisputePaymentIntentId, MetadataLearnerId, Status);

/// <summary>charge.dispute.closed; <paramref name="Status"/> is won, lost or warning_closed.</summary>
public sealed record DisputeClosed(
    string? EventId, string Type, DateTimeOffset Created, string DisputeId, string? ChargeId, string? DisputePaymentIntentId,
    string? MetadataLearnerId, string Status)
    : DisputeEvent(EventId, Type, Created, DisputeId, ChargeId, DisputePaymentIntentId, MetadataLearnerId, Status);

/// <summary>customer.subscription.created, .updated or .deleted: the subscription as the event shows it.</summary>
/// <param name="CurrentPeriodEnd">The latest <c>items.data[].current_period_end</c>.</param>
public sealed record SubscriptionChanged(
    string? EventId, string Type, DateTimeOffset Created, string SubscriptionId, string? CustomerId, string? MetadataLearnerId,
    string Status, bool CancelAtPeriodEnd, DateTimeOffset? CurrentPeriodEnd) : PaymentEvent(EventId, Type, Created)
{
    public bool Deleted => Type == "customer.subscription.deleted";

    public override string? NamedLearnerId => MetadataLearnerId;

    public override string? PaymentIntentId => null;
}

/// <summary>An invoice event of a subscription; the subscription and its metadata are under
/// <c>parent.subscription_details</c>.</summary>
public abstract record InvoiceEvent(
    string? EventId, string Type, DateTimeOffset Created, string InvoiceId, string SubscriptionId, string? CustomerId,
    string? MetadataLearnerId) : PaymentEvent(EventId, Type, Created)
{
    public override string? NamedLearnerId => MetadataLearnerId;

    public override string? PaymentIntentId => null;
}

/// <summary>invoice.paid. <paramref name="PaidByPaymentIntents"/>: the payment intents that paid it,
/// from its InvoicePayment objects (<c>payments.data[].payment.payment_intent</c>; at
/// 2026-10-28.endive an invoice has no <c>charge</c> or <c>payment_intent</c> of its own). Empty
/// when the event did not include them; <see cref="PaymentEventApplier"/> then asks Stripe.</summary>
public sealed record InvoicePaid(
    string? EventId, string Type, DateTimeOffset Created, string InvoiceId, string SubscriptionId, string? CustomerId,
    string? MetadataLearnerId, IReadOnlyList<string>? PaidByPaymentIntents = null)
    : InvoiceEvent(EventId, Type, Created, InvoiceId, SubscriptionId, CustomerId, MetadataLearnerId)
{
    public IReadOnlyList<string> PaymentIntents => PaidByPaymentIntents ?? [];
}

public sealed record InvoicePaymentFailed(
    string? EventId, string Type, DateTimeOffset Created, string InvoiceId, string SubscriptionId, string? CustomerId,
    string? MetadataLearnerId) : InvoiceEvent(EventId, Type, Created, InvoiceId, SubscriptionId, CustomerId, MetadataLearnerId);
