using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>Hand-built Streamable HTTP requests, for the cases an SDK client would never send.</summary>
internal static class RawMcp
{
    public const string Path = "/mcp";
    public const string Version = "2025-11-25";

    public const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw-tests","version":"1.0"}}}""";

    public const string InitializedNotification = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    public const string ToolsList = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    public static HttpRequestMessage Post(string body, string? sessionId = null, string? protocolVersion = Version) =>
        Request(HttpMethod.Post, sessionId, protocolVersion, new StringContent(body, Encoding.UTF8, "application/json"));

    public static HttpRequestMessage Request(HttpMethod method, string? sessionId = null, string? protocolVersion = Version, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, Path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }
        return request;
    }

    /// <summary>Stateful mode only: initialize, then notifications/initialized; a session ready for tool calls.</summary>
    public static async Task<string> InitializeAsync(HttpClient client)
    {
        using var response = await client.SendAsync(Post(InitializeBody, protocolVersion: null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessionId = Assert.Single(response.Headers.GetValues("Mcp-Session-Id"));
        using var initialized = await client.SendAsync(Post(InitializedNotification, sessionId));
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return sessionId;
    }

    /// <summary>The first JSON-RPC message of an SSE answer.</summary>
    public static async Task<JsonElement> ReadEventAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var data = body.Split('\n').First(line => line.StartsWith("data:", StringComparison.Ordinal))["data:".Length..];
        return JsonDocument.Parse(data).RootElement.Clone();
    }

    /// <summary>The JSON-RPC error code of a refusal, which must be application/json with a null id.</summary>
    public static async Task<int> ReadErrorCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("id").ValueKind);
        return json.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }

    /// <summary>The error message of a refusal.</summary>
    public static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }
}
