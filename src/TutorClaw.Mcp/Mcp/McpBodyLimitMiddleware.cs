using System.Buffers;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// For endpoints carrying <see cref="McpBodyLimit"/>: a POST body longer than the limit (declared
/// or streamed) is answered 413 before the SDK sees it; a body within it is handed on in memory.
/// </summary>
public sealed class McpBodyLimitMiddleware(RequestDelegate next, ILogger<McpBodyLimitMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<McpBodyLimit>() is not { } limit
            || !HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        var body = await ReadBoundedAsync(context.Request, limit.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            var message = $"Request body too large: /mcp reads at most {limit.MaxBytes} bytes.";
            McpHttpLog.RequestRefused(logger, context.Request.Method, context.Connection.RemoteIpAddress?.ToString() ?? "(none)",
                StatusCodes.Status413PayloadTooLarge, message);
            await new JsonRpcErrorResult(StatusCodes.Status413PayloadTooLarge, JsonRpcErrorResult.InvalidRequest, message)
                .ExecuteAsync(context);
            return;
        }
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } length and > 0 ? (int)length : 16 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
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
