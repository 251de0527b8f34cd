namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>Decodes <c>a=1&amp;b[c]=2</c> text (a form body or a query string) into ordered pairs,
/// with the form rules Stripe's servers apply: <c>+</c> is a space, <c>%XX</c> is UTF-8.</summary>
public static class FormText
{
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(string? text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(text))
        {
            return pairs;
        }
        foreach (var part in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Unescape(key), Unescape(value)));
        }
        return pairs;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
