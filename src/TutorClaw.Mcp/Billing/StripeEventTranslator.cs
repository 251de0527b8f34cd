using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Stripe;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Stripe event → <see cref="PaymentEvent"/>, for webhook bodies and for events listed by the
/// reconciliation run alike. Another api_version is never refused (the signature, not the
/// version, makes an event trustworthy); from <c>data.object</c> only the few fields our payment
/// rules use are read, untyped, so a field we ignore cannot stop an event applying.
/// </summary>
public static class StripeEventTranslator
{
    public static readonly IReadOnlySet<string> HandledTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
    };

    /// <summary>
    /// A verified webhook body (valid UTF-8 by then). Only the envelope and the fields our rules
    /// use are read, untyped: Stripe.net's <c>EventUtility.ParseEvent</c> also builds a typed copy
    /// of <c>data.object</c>, which cost about 1 ms and 140 KB per event here (most of a webhook's
    /// CPU) and refuses an event whose object changed the shape of a field we never read, which an
    /// event of another api_version may do. Anything unreadable is <see cref="ParsedEvent.Malformed"/>,
    /// never an exception, so the webhook answers 400.
    /// </summary>
    public static ParsedEvent Parse(string json)
    {
        JObject envelope;
        try
        {
            // Dates stay strings (Newtonsoft would turn an ISO-looking id into a DateTime).
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
            if (JToken.ReadFrom(reader) is not JObject read || reader.Read())
            {
                return new ParsedEvent.Malformed("The body is not a Stripe event: it is not one JSON object.");
            }
            envelope = read;
        }
        catch (JsonReaderException)
        {
            return new ParsedEvent.Malformed("The body is not a Stripe event: it is not JSON.");
        }
        var created = envelope["created"] is JValue { Type: JTokenType.Integer, Value: long seconds }
            && seconds >= 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return Translate(
            String(envelope, "id"),
            String(envelope, "type"),
            created,
            String(envelope, "api_version"),
            envelope["livemode"] is { Type: JTokenType.Boolean } live && live.Value<bool>(),
            envelope["data"] is JObject data ? data["object"] as JObject : null);
    }

    /// <summary>An event Stripe.net listed (reconciliation): the same reading of the same fields.</summary>
    public static ParsedEvent Translate(Event stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        return Translate(
            stripeEvent.Id,
            stripeEvent.Type,
            stripeEvent.Created == default ? null : new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)),
            stripeEvent.ApiVersion,
            stripeEvent.Livemode,
            stripeEvent.Data?.RawObject as JObject);
    }

    private static ParsedEvent Translate(string? id, string? type, DateTimeOffset? createdAt, string? apiVersion, bool livemode, JObject? obj)
    {
        if (id is null || !id.StartsWith("evt_", StringComparison.Ordinal) || string.IsNullOrEmpty(type))
        {
            return new ParsedEvent.Malformed("The body is not a Stripe event (no evt_ id or no type).");
        }
        if (!HandledTypes.Contains(type))
        {
            return new ParsedEvent.Ignored(id, type);
        }
        if (createdAt is not { } created)
        {
            return new ParsedEvent.Malformed("The event has no created time (whole seconds since 1970 within the years 1 to 9999).");
        }
        if (obj is null)
        {
            return new ParsedEvent.Malformed("The event has no data.object.");
        }
        if (type.StartsWith("checkout.session.", StringComparison.Ordinal) && String(obj, "mode") == "subscription")
        {
            // A monthly plan's checkout is not a one-time payment: its subscription's own events decide access.
            return new ParsedEvent.Ignored(id, type);
        }
        if (type.StartsWith("invoice.", StringComparison.Ordinal) && String(obj, "id") is not null && Invoice(obj) is null)
        {
            // An invoice of no subscription (one sent by hand) changes no learner's access.
            return new ParsedEvent.Ignored(id, type);
        }
        var paymentEvent = type switch
        {
            "checkout.session.completed" => Session(obj) is { } s
                ? new CheckoutCompleted(id, type, created, s, Paid: String(obj, "payment_status") is "paid" or "no_payment_required")
                : null,
            "checkout.session.async_payment_succeeded" => Session(obj) is { } s ? new AsyncPaymentSucceeded(id, type, created, s) : null,
            "checkout.session.async_payment_failed" => Session(obj) is { } s ? new AsyncPaymentFailed(id, type, created, s) : null,
            "checkout.session.expired" => Session(obj) is { } s ? new CheckoutExpired(id, type, created, s) : null,
            "charge.refunded" => Refund(id, type, created, obj),
            "charge.dispute.created" => Dispute(obj) is { } d
                ? new DisputeCreated(id, type, created, d.Id, d.Charge, d.PaymentIntent, d.Learner, d.Status)
                : null,
            "charge.dispute.closed" => Dispute(obj) is { } d
                ? new DisputeClosed(id, type, created, d.Id, d.Charge, d.PaymentIntent, d.Learner, d.Status)
                : null,
            "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted" =>
                Subscription(id, type, created, obj),
            "invoice.paid" => Invoice(obj) is { } i
                ? new InvoicePaid(id, type, created, i.Id, i.Subscription, i.Customer, i.Learner, InvoicePaymentIntents(obj))
                : null,
            "invoice.payment_failed" => Invoice(obj) is { } i
                ? new InvoicePaymentFailed(id, type, created, i.Id, i.Subscription, i.Customer, i.Learner)
                : (PaymentEvent?)null,
            _ => null,
        };
        return paymentEvent is null
            ? new ParsedEvent.Malformed($"The {type} event lacks the object id or status it must carry.")
            : new ParsedEvent.Handled(paymentEvent, apiVersion, livemode);
    }

    private static SessionSnapshot? Session(JObject obj) => String(obj, "id") is not { } id
        ? null
        : new SessionSnapshot(
            id,
            MetadataLearner(obj) ?? String(obj, "client_reference_id"),
            IdOf(obj, "payment_intent"),
            Long(obj, "amount_total"),
            String(obj, "currency"),
            UnixTime(obj, "expires_at"));

    private static ChargeRefunded? Refund(string id, string type, DateTimeOffset created, JObject obj) =>
        String(obj, "id") is not { } chargeId
            ? null
            : new ChargeRefunded(id, type, created, chargeId, IdOf(obj, "payment_intent"), MetadataLearner(obj),
                obj["refunded"] is { Type: JTokenType.Boolean } refunded && refunded.Value<bool>(), Long(obj, "amount_refunded") ?? 0);

    private static (string Id, string? Charge, string? PaymentIntent, string? Learner, string Status)? Dispute(JObject obj)
    {
        var id = String(obj, "id");
        var status = String(obj, "status");
        return id is null || status is null ? null : (id, IdOf(obj, "charge"), IdOf(obj, "payment_intent"), MetadataLearner(obj), status);
    }

    private static SubscriptionChanged? Subscription(string id, string type, DateTimeOffset created, JObject obj)
    {
        var subscriptionId = String(obj, "id");
        var status = String(obj, "status");
        if (subscriptionId is null || status is null)
        {
            return null;
        }
        // At 2026-10-28.endive the billing period lives on the items, not on the subscription.
        var periodEnd = obj["items"] is JObject { } items && items["data"] is JArray data
            ? data.OfType<JObject>().Select(item => UnixTime(item, "current_period_end")).Max()
            : null;
        return new SubscriptionChanged(id, type, created, subscriptionId, IdOf(obj, "customer"), MetadataLearner(obj), status,
            obj["cancel_at_period_end"] is { Type: JTokenType.Boolean } cancel && cancel.Value<bool>(), periodEnd);
    }

    /// <summary>A subscription's invoice: the subscription and its metadata are under
    /// <c>parent.subscription_details</c>. An invoice of no subscription is not ours to read (null).</summary>
    private static (string Id, string Subscription, string? Customer, string? Learner)? Invoice(JObject obj)
    {
        var id = String(obj, "id");
        var details = obj["parent"] is JObject parent && parent["subscription_details"] is JObject d ? d : null;
        var subscription = details is null ? null : IdOf(details, "subscription");
        return id is null || subscription is null ? null : (id, subscription, IdOf(obj, "customer"), MetadataLearner(details!));
    }

    /// <summary>The payment intents of an invoice's paid InvoicePayment objects, when the event
    /// includes them (<c>payments</c> is includable, so often it does not).</summary>
    private static string[] InvoicePaymentIntents(JObject invoice) =>
        invoice["payments"] is JObject { } payments && payments["data"] is JArray data
            ? [.. data.OfType<JObject>()
                .Where(p => String(p, "status") is null or "paid")
                .Select(p => p["payment"] is JObject payment ? IdOf(payment, "payment_intent") : null)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)]
            : [];

    private static string? MetadataLearner(JObject obj) => obj["metadata"] is JObject metadata ? String(metadata, "learner_id") : null;

    /// <summary>An expandable field: a plain id, or an expanded object carrying one.</summary>
    private static string? IdOf(JObject obj, string name) => obj[name] is JObject expanded ? String(expanded, "id") : String(obj, name);

    private static string? String(JObject obj, string name) =>
        obj[name] is { Type: JTokenType.String } value && value.Value<string>() is { Length: > 0 } text ? text : null;

    private static long? Long(JObject obj, string name) =>
        obj[name] is JValue { Type: JTokenType.Integer, Value: long number } ? number : null;

    /// <summary>A Unix time in seconds; null when missing or outside what a DateTimeOffset can hold.</summary>
    private static DateTimeOffset? UnixTime(JObject obj, string name) =>
        Long(obj, name) is { } seconds
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
