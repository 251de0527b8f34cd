using System.Text.Json.Nodes;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// An HTTP error answered with a JSON-RPC error body (<c>"id": null</c>), the shape MCP clients
/// read for transport-level failures. The message never repeats a header's value.
/// </summary>
public sealed record JsonRpcErrorResult(int StatusCode, int Code, string Message) : IResult
{
    /// <summary>JSON-RPC 2.0: JSON, but not a JSON-RPC message we accept.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>Implementation-defined server error, the code the SDKs use for transport refusals.</summary>
    public const int ServerError = -32000;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = null,
            ["error"] = new JsonObject { ["code"] = Code, ["message"] = Message },
        };
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json";
        return httpContext.Response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
    }
}
