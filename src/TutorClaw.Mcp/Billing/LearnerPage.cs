using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Billing;

/// <summary>How a learner's page is coloured: its top bar says done, waiting, neutral or problem at a glance.</summary>
public enum LearnerPageTone
{
    Neutral,
    Done,
    Waiting,
    Problem,
}

/// <summary>A button on a learner's page; only absolute http(s) targets, so no <c>javascript:</c> can get in.</summary>
public sealed record LearnerPageLink
{
    public LearnerPageLink(Uri target, string label)
    {
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("A page link must be an absolute http(s) URL.", nameof(target));
        }
        Target = target;
        Label = label;
    }

    public Uri Target { get; }

    public string Label { get; }
}

/// <summary>
/// One page the learner's browser sees (SPEC §6): a heading, the main sentence, an optional note,
/// the Checkout Session reference, a button and a self-refresh. Rendered as one small HTML
/// document that reads well on a phone: inline CSS only, no script, no image, nothing from another
/// host; every text HTML-encoded. Executing it sends <see cref="LearnerPageHeaders"/>.
/// </summary>
public sealed record LearnerPage(
    int StatusCode,
    LearnerPageTone Tone,
    string Heading,
    string Sentence,
    string? Note = null,
    string? SessionReference = null,
    LearnerPageLink? Action = null,
    TimeSpan? Refresh = null) : IResult
{
    /// <summary>The whole stylesheet. Its SHA-256 is the only style the Content-Security-Policy allows,
    /// so a change here changes the header with it (<see cref="LearnerPageHeaders"/>).</summary>
    public const string Stylesheet =
        "*{box-sizing:border-box}" +
        "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}" +
        "body{margin:0;padding:1.25rem 1rem;background:#f3f4f6;color:#1f2328;" +
        "font:1.125rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif;" +
        "overflow-wrap:break-word;--accent:#6e7781}" +
        "body.done{--accent:#1a7f37}body.waiting{--accent:#bf8700}body.problem{--accent:#cf222e}" +
        "main{max-width:34rem;margin:0 auto;padding:1.5rem 1.25rem 1.25rem;background:#fff;border-radius:1rem;" +
        "border-top:.375rem solid var(--accent);box-shadow:0 1px 3px rgba(0,0,0,.12)}" +
        ".brand{margin:0 0 1rem;font-size:.875rem;font-weight:600;letter-spacing:.02em;color:#57606a}" +
        "h1{margin:0 0 .75rem;font-size:1.625rem;line-height:1.25}" +
        "p{margin:0 0 1rem}" +
        ".lead{font-size:1.25rem;font-weight:600}" +
        ".note{color:#424a53}" +
        ".ref{font-size:.875rem;color:#57606a;overflow-wrap:anywhere}" +
        ".ref code{font:inherit;font-family:ui-monospace,\"DejaVu Sans Mono\",monospace}" +
        ".button{display:block;margin:1.5rem 0 .25rem;padding:.875rem 1rem;border-radius:.75rem;background:#1f6feb;" +
        "color:#fff;font-weight:600;text-align:center;text-decoration:none}" +
        ".button:focus-visible{outline:3px solid #0a3069;outline-offset:2px}" +
        "@media (min-width:40rem){body{padding-top:4rem}main{padding:2rem}}" +
        "@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22;box-shadow:none}" +
        ".brand,.ref{color:#9198a1}.note{color:#c9d1d9}}";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var productName = httpContext.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.ProductName;
        var body = Encoding.UTF8.GetBytes(Render(productName));
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        LearnerPageHeaders.Apply(response);
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }

    /// <summary>The HTML document; every text is encoded here and nowhere else.</summary>
    public string Render(string productName)
    {
        var html = new StringBuilder(4096);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"color-scheme\" content=\"light dark\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n");
        if (Refresh is { } refresh)
        {
            html.Append("<meta http-equiv=\"refresh\" content=\"")
                .Append(Math.Max(1, (int)refresh.TotalSeconds))
                .Append("\">\n");
        }
        html.Append("<title>").Append(Encode(Heading)).Append(" · ").Append(Encode(productName)).Append("</title>\n")
            .Append("<style>").Append(Stylesheet).Append("</style>\n</head>\n")
            .Append("<body class=\"").Append(ToneClass(Tone)).Append("\">\n<main>\n")
            .Append("<p class=\"brand\">").Append(Encode(productName)).Append("</p>\n")
            .Append("<h1>").Append(Encode(Heading)).Append("</h1>\n")
            .Append("<p class=\"lead\">").Append(Encode(Sentence)).Append("</p>\n");
        if (Note is not null)
        {
            html.Append("<p class=\"note\">").Append(Encode(Note)).Append("</p>\n");
        }
        if (Action is { } action)
        {
            html.Append("<a class=\"button\" href=\"").Append(Encode(action.Target.AbsoluteUri)).Append("\">")
                .Append(Encode(action.Label)).Append("</a>\n");
        }
        if (SessionReference is not null)
        {
            html.Append("<p class=\"ref\">Payment reference: <code>").Append(Encode(SessionReference)).Append("</code></p>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string ToneClass(LearnerPageTone tone) => tone switch
    {
        LearnerPageTone.Done => "done",
        LearnerPageTone.Waiting => "waiting",
        LearnerPageTone.Problem => "problem",
        _ => "neutral",
    };
}
