namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>One request as the fake Stripe received it.</summary>
/// <param name="Path">Decoded path, e.g. <c>/v1/checkout/sessions</c>.</param>
/// <param name="Query">The raw query string as sent (still percent-encoded), without <c>?</c>; empty if none.</param>
/// <param name="Headers">Every request header, names case-insensitive, repeated values joined with ", ".</param>
/// <param name="Body">The raw body text (UTF-8).</param>
/// <param name="Form">The body decoded as application/x-www-form-urlencoded, pairs in order; empty for other bodies.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    IReadOnlyList<KeyValuePair<string, string>> Form)
{
    /// <summary>A header's value, or null when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The query string decoded into pairs, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryPairs => FormText.Decode(Query);

    /// <summary>A <c>GET /v1/prices/{id}</c>: the server's price lookup (once per process, also at startup).</summary>
    public bool IsPriceLookup => Method == "GET" && Path.StartsWith("/v1/prices/", StringComparison.Ordinal);

    /// <summary>The first form value for a key, or null.</summary>
    public string? FormValue(string key) => Form.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();
}
