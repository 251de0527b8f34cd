using TutorClaw.Mcp.Http;

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
        var body = await BoundedBody.ReadAsync(context.Request, limit.MaxBytes, context.RequestAborted);
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
}
