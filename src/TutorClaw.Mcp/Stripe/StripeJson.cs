using System.Text.Json;

namespace TutorClaw.Mcp.Stripe;

/// <summary>Lenient readers for the Stripe objects we use: unknown fields are ignored, missing
/// optional fields become null, and a body that is not what we expect reads as null.</summary>
internal static class StripeJson
{
    public static CheckoutSession? ReadCheckoutSession(string body) => Read(body, session =>
    {
        if (String(session, "id") is not { Length: > 0 } id)
        {
            return null;
        }
        return new CheckoutSession(
            id,
            String(session, "url"),
            String(session, "status") ?? "",
            String(session, "payment_status") ?? "",
            UnixTime(session, "expires_at"),
            UnixTime(session, "created"),
            IdOf(session, "payment_intent"),
            String(session, "client_reference_id"),
            Metadata(session),
            Int64(session, "amount_total"),
            String(session, "currency"));
    });

    /// <summary>A list object: each item of <c>data</c> kept whole (cloned), plus <c>has_more</c>.</summary>
    public static EventPage? ReadEventPage(string body) => Read(body, list =>
    {
        if (!list.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var events = new List<JsonElement>(data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
        {
            events.Add(item.Clone());
        }
        var hasMore = list.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        return new EventPage(events, hasMore);
    });

    public static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T? Read<T>(string body, Func<JsonElement, T?> read)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Int64(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    private static DateTimeOffset? UnixTime(JsonElement parent, string name) =>
        Int64(parent, name) is { } seconds && seconds is >= -62135596800 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>An id field that may also come expanded into an object.</summary>
    private static string? IdOf(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) switch
        {
            false => null,
            true when value.ValueKind == JsonValueKind.String => value.GetString(),
            true when value.ValueKind == JsonValueKind.Object => String(value, "id"),
            _ => null,
        };

    private static IReadOnlyDictionary<string, string> Metadata(JsonElement session)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (session.TryGetProperty("metadata", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        metadata[property.Name] = property.Value.GetString()!;
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        metadata[property.Name] = property.Value.GetRawText();
                        break;
                }
            }
        }
        return metadata;
    }
}
