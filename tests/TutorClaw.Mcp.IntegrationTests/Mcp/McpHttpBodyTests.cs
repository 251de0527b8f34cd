using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

public sealed class McpHttpBodyTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    [Fact]
    public async Task Malformed_json_is_a_json_rpc_parse_error_not_a_500()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post("""{"jsonrpc":"2.0","id":1,"method":"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32700, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Json_that_is_not_a_json_rpc_message_is_an_invalid_request(string body)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(body, sessionId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_body_declared_larger_than_4_MiB_is_413()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(PaddedToolsList(FourMiB + 1), sessionId));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_streamed_body_larger_than_4_MiB_is_413()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PaddedToolsList(FourMiB + 1))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = RawMcp.Request(HttpMethod.Post, sessionId, content: content);
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_of_exactly_4_MiB_is_served()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(PaddedToolsList(FourMiB), sessionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_notification_only_post_is_202_with_no_body()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(
            """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}}""", sessionId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_batch_of_notifications_and_responses_is_202()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post(
            """[{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}},{"jsonrpc":"2.0","id":"s-1","result":{}}]""",
            sessionId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_batch_holding_a_request_is_refused_as_invalid()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var sessionId = await RawMcp.InitializeAsync(client);

        using var response = await client.SendAsync(RawMcp.Post($"[{RawMcp.ToolsList}]", sessionId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_post_that_does_not_accept_an_event_stream_is_406()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var request = RawMcp.Post(RawMcp.InitializeBody, protocolVersion: null);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    /// <summary>A tools/list request padded with whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string PaddedToolsList(int bytes) => RawMcp.ToolsList.PadRight(bytes);
}
