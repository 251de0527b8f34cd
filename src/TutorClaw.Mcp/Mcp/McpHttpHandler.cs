using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// POST, GET and DELETE of the MCP Streamable HTTP transport (revisions 2025-06-18 and 2025-11-25),
/// stateful: a session per <c>initialize</c>, named by Mcp-Session-Id. A POST holding a request is
/// answered as an SSE stream (the form the SDK's transport writes; the spec lets the server choose),
/// a POST of notifications or responses only with 202. Everything refused before a session sees it
/// is answered with a JSON-RPC error as application/json.
/// </summary>
public sealed class McpHttpHandler(McpSessionStore sessions, IOptions<McpHttpOptions> options, IHostApplicationLifetime lifetime)
{
    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    /// <summary>
    /// The revisions that open a session with <c>initialize</c>. 2026-07-28 dropped sessions and the
    /// handshake; a client asking for it gets 400 and falls back to one of these.
    /// </summary>
    public static readonly IReadOnlySet<string> SupportedProtocolVersions =
        new HashSet<string>(StringComparer.Ordinal) { "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25" };

    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue EventStream = new("text/event-stream");

    public async Task PostAsync(HttpContext context)
    {
        if ((RefuseProtocolVersion(context) ?? RefuseUnacceptable(context, Json, EventStream)) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }
        var body = await ReadBoundedAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await new JsonRpcErrorResult(StatusCodes.Status413PayloadTooLarge, JsonRpcErrorResult.InvalidRequest,
                $"Request body too large: /mcp reads at most {options.Value.MaxRequestBodyBytes} bytes.").ExecuteAsync(context);
            return;
        }
        var (messages, parseRefusal) = ParseMessages(body);
        if (parseRefusal is not null)
        {
            await parseRefusal.ExecuteAsync(context);
            return;
        }

        var sessionId = context.Request.Headers[SessionIdHeader].ToString();
        McpHttpSession? session;
        if (sessionId.Length == 0)
        {
            if (messages is not [JsonRpcRequest { Method: RequestMethods.Initialize }])
            {
                await MissingSession().ExecuteAsync(context);
                return;
            }
            session = sessions.Start();
        }
        else
        {
            session = sessions.Find(sessionId);
        }

        using var lease = session?.TryAcquire();
        if (lease is null)
        {
            await SessionNotFound().ExecuteAsync(context);
            return;
        }
        context.Response.Headers[SessionIdHeader] = session!.Id;
        StartEventStream(context);
        var wrote = false;
        foreach (var message in messages)
        {
            wrote |= await session.Transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
        }
        if (!wrote)
        {
            // Nothing was written, so nothing was sent yet: a bare 202 instead of an empty stream.
            context.Response.Headers.ContentType = (string?)null;
            context.Response.Headers.CacheControl = (string?)null;
            context.Response.Headers.ContentEncoding = (string?)null;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.ContentLength = 0;
        }
    }

    /// <summary>The standalone server-to-client stream: one per session, open until the client, the session or the host ends it.</summary>
    public async Task GetAsync(HttpContext context)
    {
        if ((RefuseProtocolVersion(context) ?? RefuseUnacceptable(context, EventStream)) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }
        var (session, sessionRefusal) = FindSession(context);
        if (sessionRefusal is not null)
        {
            await sessionRefusal.ExecuteAsync(context);
            return;
        }
        using var lease = session!.TryAcquire();
        if (lease is null)
        {
            await SessionNotFound().ExecuteAsync(context);
            return;
        }
        if (!session.TryOpenGetStream())
        {
            await new JsonRpcErrorResult(StatusCodes.Status409Conflict, JsonRpcErrorResult.ServerError,
                "Conflict: this session already has a GET stream open.").ExecuteAsync(context);
            return;
        }
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(
                context.RequestAborted, session.Ended, lifetime.ApplicationStopping);
            context.Response.Headers[SessionIdHeader] = session.Id;
            StartEventStream(context);
            await context.Response.Body.FlushAsync(stop.Token);
            await session.Transport.HandleGetRequestAsync(context.Response.Body, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client hung up, the session ended or the host is stopping: how an SSE stream ends.
        }
        finally
        {
            session.CloseGetStream();
        }
    }

    /// <summary>Ends a session; its id answers 404 from then on.</summary>
    public async Task DeleteAsync(HttpContext context)
    {
        if (RefuseProtocolVersion(context) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }
        var (session, sessionRefusal) = FindSession(context);
        if (sessionRefusal is not null)
        {
            await sessionRefusal.ExecuteAsync(context);
            return;
        }
        if (!await sessions.EndAsync(session!.Id))
        {
            await SessionNotFound().ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// One message, or a batch (2025-03-26 clients) of notifications and responses only: batched
    /// requests were removed in 2025-06-18 and are refused. Malformed JSON is a -32700 parse error.
    /// </summary>
    internal static (IReadOnlyList<JsonRpcMessage> Messages, JsonRpcErrorResult? Refusal) ParseMessages(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return ([], new JsonRpcErrorResult(StatusCodes.Status400BadRequest, JsonRpcErrorResult.ParseError,
                "Parse error: the request body is not valid JSON."));
        }
        var nodes = root is JsonArray array ? [.. array] : new List<JsonNode?> { root };
        var messages = new List<JsonRpcMessage>(nodes.Count);
        foreach (var node in nodes)
        {
            if (ToMessage(node) is not { } message)
            {
                return ([], InvalidRequest("Invalid Request: the body must be a JSON-RPC 2.0 request, notification or response."));
            }
            messages.Add(message);
        }
        if (messages.Count == 0)
        {
            return ([], InvalidRequest("Invalid Request: an empty batch."));
        }
        if (root is JsonArray && messages.Any(m => m is JsonRpcRequest))
        {
            return ([], InvalidRequest("Invalid Request: requests cannot be batched in MCP 2025-06-18 and later; send one request per POST."));
        }
        return (messages, null);
    }

    private static JsonRpcMessage? ToMessage(JsonNode? node)
    {
        if (node is not JsonObject)
        {
            return null;
        }
        try
        {
            return node.Deserialize(MessageType);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // System.Text.Json parses a string lazily: one it cannot decode (a lone surrogate escape
            // such as "\ud800") throws InvalidOperationException only here, not in JsonNode.Parse.
            return null;
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// An unsupported MCP-Protocol-Version is a 400 (spec: basic/transports). A missing one is allowed:
    /// the server then assumes 2025-03-26, as the spec says for backwards compatibility.
    /// </summary>
    private static JsonRpcErrorResult? RefuseProtocolVersion(HttpContext context)
    {
        var version = context.Request.Headers[ProtocolVersionHeader].ToString();
        return version.Length == 0 || SupportedProtocolVersions.Contains(version)
            ? null
            : new JsonRpcErrorResult(StatusCodes.Status400BadRequest, JsonRpcErrorResult.ServerError,
                "Bad Request: unsupported MCP-Protocol-Version; supported: " + string.Join(", ", SupportedProtocolVersions.Order()) + ".");
    }

    private static JsonRpcErrorResult? RefuseUnacceptable(HttpContext context, params MediaTypeHeaderValue[] required)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        return required.All(type => accept.Any(type.IsSubsetOf))
            ? null
            : new JsonRpcErrorResult(StatusCodes.Status406NotAcceptable, JsonRpcErrorResult.ServerError,
                "Not Acceptable: the Accept header must include " + string.Join(" and ", required.Select(t => t.MediaType.ToString())) + ".");
    }

    private (McpHttpSession? Session, JsonRpcErrorResult? Refusal) FindSession(HttpContext context)
    {
        var id = context.Request.Headers[SessionIdHeader].ToString();
        if (id.Length == 0)
        {
            return (null, MissingSession());
        }
        return sessions.Find(id) is { } session ? (session, null) : (null, SessionNotFound());
    }

    private static void StartEventStream(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }

    private static JsonRpcErrorResult InvalidRequest(string message) =>
        new(StatusCodes.Status400BadRequest, JsonRpcErrorResult.InvalidRequest, message);

    private static JsonRpcErrorResult MissingSession() =>
        new(StatusCodes.Status400BadRequest, JsonRpcErrorResult.ServerError,
            "Bad Request: Mcp-Session-Id header is required; only initialize may start a session.");

    private static JsonRpcErrorResult SessionNotFound() =>
        new(StatusCodes.Status404NotFound, JsonRpcErrorResult.SessionNotFound,
            "Session not found: it ended or never existed; start a new one with initialize.");
}
