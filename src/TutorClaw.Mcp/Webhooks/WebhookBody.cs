using System.Buffers;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>Reads a request body as raw bytes, refusing anything over the limit without reading it all.</summary>
public static class WebhookBody
{
    /// <summary>SPEC §5: 1 MiB. Stripe's events are a few KiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The exact bytes received, or null when the body is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } length and > 0 ? (int)length : 16 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return null;
            }
        }
    }
}
