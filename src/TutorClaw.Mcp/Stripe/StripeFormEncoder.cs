using System.Collections;
using System.Globalization;
using System.Text;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// Stripe's v1 parameter encoding, as stripe-node writes it (<c>utils.stringifyRequestData</c>):
/// nested objects become <c>parent[child]</c>, lists <c>parent[0][child]</c> (0-based), keys and
/// values are percent-encoded like <c>encodeURIComponent</c> plus <c>! * ( ) '</c> (space is
/// <c>%20</c>, non-ASCII is UTF-8), and brackets stay literal. The same text is a POST body or a
/// GET query string.
/// </summary>
/// <remarks>
/// Input is an ordered list of (name, value) pairs; order is kept. A value may be a string, a
/// bool (<c>true</c>/<c>false</c>), a number (invariant culture), a <see cref="DateTimeOffset"/>
/// (unix seconds), a nested list of pairs or a dictionary (→ <c>[key]</c>), or any other
/// <see cref="IEnumerable"/> (→ <c>[index]</c>). A null value is left out; an empty string is sent
/// as <c>key=</c> (that is how Stripe unsets a metadata key). Empty objects and lists add nothing.
/// </remarks>
public static class StripeFormEncoder
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>The encoded text, pairs joined with <c>&amp;</c>, no leading <c>?</c>.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Flatten(parameters))
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }
            AppendEncoded(text, key);
            text.Append('=');
            AppendEncoded(text, value);
        }
        return text.ToString();
    }

    /// <summary>The flat (bracketed name, value) pairs, not yet percent-encoded.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Flatten(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in parameters)
        {
            Add(pairs, key, value);
        }
        return pairs;
    }

    /// <summary>One key or value percent-encoded the way stripe-node does it.</summary>
    public static string EncodeComponent(string text)
    {
        var builder = new StringBuilder(text.Length);
        AppendEncoded(builder, text);
        return builder.ToString();
    }

    private static void Add(List<KeyValuePair<string, string>> pairs, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                pairs.Add(new(key, text));
                return;
            case bool flag:
                pairs.Add(new(key, flag ? "true" : "false"));
                return;
            case DateTimeOffset instant:
                pairs.Add(new(key, instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                return;
            case IFormattable number:
                pairs.Add(new(key, number.ToString(null, CultureInfo.InvariantCulture)));
                return;
            case IEnumerable<KeyValuePair<string, object?>> nested:
                foreach (var (child, childValue) in nested)
                {
                    Add(pairs, $"{key}[{child}]", childValue);
                }
                return;
            case IEnumerable<KeyValuePair<string, string>> nested:
                foreach (var (child, childValue) in nested)
                {
                    Add(pairs, $"{key}[{child}]", childValue);
                }
                return;
            case IDictionary nested:
                foreach (DictionaryEntry entry in nested)
                {
                    Add(pairs, $"{key}[{Convert.ToString(entry.Key, CultureInfo.InvariantCulture)}]", entry.Value);
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Add(pairs, $"{key}[{index.ToString(CultureInfo.InvariantCulture)}]", item);
                    index++;
                }
                return;
            default:
                throw new ArgumentException(
                    $"Cannot form-encode parameter '{key}' of type {value.GetType().Name}.", nameof(value));
        }
    }

    private static void AppendEncoded(StringBuilder into, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (IsKeptLiteral(b))
            {
                into.Append((char)b);
            }
            else
            {
                into.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }
    }

    /// <summary>RFC 3986 unreserved characters, plus the brackets stripe-node puts back.</summary>
    private static bool IsKeptLiteral(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'[' or (byte)']';
}
