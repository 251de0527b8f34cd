namespace TutorClaw.Mcp.Stripe;

/// <summary>Everything needed to (re)build one request on each attempt, except the key. A class,
/// not a record, so no generated ToString can put the body into a log line.</summary>
internal sealed class StripeCall(HttpMethod method, string path, string? query, string? form, string? idempotencyKey)
{
    public HttpMethod Method { get; } = method;

    /// <summary>Relative to the API base, without a leading slash (<c>v1/events</c>), so a path
    /// prefix in STRIPE_API_BASE is kept.</summary>
    public string Path { get; } = path;

    /// <summary>Encoded query string without <c>?</c>, or null.</summary>
    public string? Query { get; } = query;

    /// <summary>Encoded form body, or null for a request without one.</summary>
    public string? Form { get; } = form;

    public string? IdempotencyKey { get; } = idempotencyKey;

    /// <summary>What logs show: method and path, never the query, body or key.</summary>
    public string Route => $"{Method.Method} /{Path}";

    public string RelativeUri => Query is null ? Path : $"{Path}?{Query}";
}
