using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// A /webhook answer, written in one piece with its Content-Length. A JSON result of unknown
/// length goes out chunked: the closing chunk is a second send per delivery, and a second read
/// for the sender.
/// </summary>
public sealed class WebhookAnswer(int statusCode, WebhookReply reply)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<WebhookReply>, IContentTypeHttpResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>As ASP.NET Core writes JSON: "tier free -> paid" stays readable in the Dashboard.</summary>
    private static readonly JsonTypeInfo<WebhookReply> ReplyJson = new WebhookJsonContext(
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).WebhookReply;

    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    public WebhookReply Value => reply;

    object? IValueHttpResult.Value => reply;

    public string ContentType => JsonContentType;

    public static WebhookAnswer Ok(string detail) => new(StatusCodes.Status200OK, new WebhookReply(true, detail));

    public static WebhookAnswer NotAcknowledged(int statusCode, string detail) => new(statusCode, new WebhookReply(false, detail));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(reply, ReplyJson);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
