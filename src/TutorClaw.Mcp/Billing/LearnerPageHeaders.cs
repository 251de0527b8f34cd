using System.Security.Cryptography;
using System.Text;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The one place that sets the response headers of the learner's pages. The success page's URL
/// holds the Checkout Session id, so nothing may carry it to another host: no referrer, no
/// caching, nothing loaded from elsewhere, no script at all, no framing, no form posting out.
/// </summary>
public static class LearnerPageHeaders
{
    /// <summary>Nothing but the page's own stylesheet, allowed by its hash (so not even an injected
    /// <c>style</c> attribute applies).</summary>
    public static string ContentSecurityPolicy { get; } =
        "default-src 'none'; " +
        $"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(LearnerPage.Stylesheet)))}'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }
}
