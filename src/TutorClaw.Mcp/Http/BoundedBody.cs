using System.Buffers;

namespace TutorClaw.Mcp.Http;

/// <summary>The one bounded body reader, for every door that must see a body whole before acting
/// on it (/webhook verifies raw bytes; /mcp refuses oversized requests before the SDK reads them).</summary>
public static class BoundedBody
{
    /// <summary>The exact bytes received, or null when the body is longer than <paramref name="limit"/>
    /// (declared or streamed); never reads further than that.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } length and > 0 ? (int)length : 16 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
