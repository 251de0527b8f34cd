using System.Net.Http.Headers;
using System.Text;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>Delivers bodies to /webhook the way Stripe does: raw bytes, signed at the app's current time.</summary>
public sealed class WebhookSender(TutorClawApp app, HttpClient client)
{
    public Task<HttpResponseMessage> SendSignedAsync(byte[] body, string secret = TutorClawApp.WebhookSecret) =>
        SendAsync(body, StripeSignatureHeader.Sign(secret, app.Clock.GetUtcNow().ToUnixTimeSeconds(), body));

    public Task<HttpResponseMessage> SendSignedAsync(string body) => SendSignedAsync(Encoding.UTF8.GetBytes(body));

    public Task<HttpResponseMessage> SendEventFileAsync(string file) => SendSignedAsync(SharedStripeData.ReadBytes("events/" + file));

    public Task<HttpResponseMessage> SendAsync(byte[] body, string? signatureHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (signatureHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signatureHeader);
        }
        return client.SendAsync(request);
    }
}
