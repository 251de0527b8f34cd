using System.Text.Json;
using System.Text.Unicode;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// Reads the few fields our payment rules use from a Stripe event and ignores everything else,
/// so an event rendered in another API version parses as long as those fields are there (the
/// signature, not the version, is what makes it trustworthy). Used for webhook bodies and for
/// events listed by the reconciliation run alike.
/// </summary>
public static class StripeEventParser
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
    };

    /// <summary>Nesting deeper than this is not a Stripe event; refusing it early bounds the work.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ParsedEvent Parse(ReadOnlyMemory<byte> body)
    {
        // JsonDocument checks the UTF-8 of a string only when the string is read; a verified body
        // with a broken byte inside a string would throw there instead of answering 400.
        if (!Utf8.IsValid(body.Span))
        {
            return new ParsedEvent.Malformed("The body is not valid UTF-8.");
        }
        try
        {
            using var document = JsonDocument.Parse(body, DocumentOptions);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return new ParsedEvent.Malformed("The body is not valid JSON.");
        }
    }

    public static ParsedEvent Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ParsedEvent.Malformed("The body is not a JSON object.");
        }
        var id = String(root, "id");
        var type = String(root, "type");
        if (id is null || !id.StartsWith("evt_", StringComparison.Ordinal) || type is null)
        {
            return new ParsedEvent.Malformed("The body is not a Stripe event (no evt_ id or no type).");
        }
        if (!HandledTypes.Contains(type))
        {
            return new ParsedEvent.Ignored(id, type);
        }
        if (UnixTime(root, "created") is not { } created)
        {
            return new ParsedEvent.Malformed("The event has no created time (whole seconds since 1970 within the years 1 to 9999).");
        }
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            return new ParsedEvent.Malformed("The event has no data.object.");
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
                : (PaymentEvent?)null,
            _ => null,
        };
        return paymentEvent is null
            ? new ParsedEvent.Malformed($"The {type} event lacks the object id or status it must carry.")
            : new ParsedEvent.Handled(paymentEvent, String(root, "api_version"), Bool(root, "livemode"));
    }

    private static SessionSnapshot? Session(JsonElement obj)
    {
        var id = String(obj, "id");
        if (id is null)
        {
            return null;
        }
        return new SessionSnapshot(
            id,
            MetadataLearner(obj) ?? String(obj, "client_reference_id"),
            IdOf(obj, "payment_intent"),
            Long(obj, "amount_total"),
            String(obj, "currency"),
            UnixTime(obj, "expires_at"));
    }

    private static ChargeRefunded? Refund(string id, string type, DateTimeOffset created, JsonElement obj)
    {
        var chargeId = String(obj, "id");
        if (chargeId is null)
        {
            return null;
        }
        var fully = obj.TryGetProperty("refunded", out var refunded) && refunded.ValueKind == JsonValueKind.True;
        return new ChargeRefunded(id, type, created, chargeId, IdOf(obj, "payment_intent"), MetadataLearner(obj), fully, Long(obj, "amount_refunded") ?? 0);
    }

    private static (string Id, string? Charge, string? PaymentIntent, string? Learner, string Status)? Dispute(JsonElement obj)
    {
        var id = String(obj, "id");
        var status = String(obj, "status");
        return id is null || status is null ? null : (id, IdOf(obj, "charge"), IdOf(obj, "payment_intent"), MetadataLearner(obj), status);
    }

    private static string? MetadataLearner(JsonElement obj) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? String(metadata, "learner_id")
            : null;

    /// <summary>An expandable field: a plain id, or an expanded object carrying one.</summary>
    private static string? IdOf(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? String(value, "id") : String(obj, name);

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>A Unix time in seconds; null when missing or outside what a DateTimeOffset can hold
    /// (a signed event can still carry any number, and an exception here would be a 500 that Stripe retries forever).</summary>
    private static DateTimeOffset? UnixTime(JsonElement obj, string name) =>
        Long(obj, name) is { } seconds
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static bool? Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static long? Long(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
