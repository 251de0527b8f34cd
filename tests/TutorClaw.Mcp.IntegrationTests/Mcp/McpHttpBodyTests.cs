using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>/mcp's 4 MiB body limit, and malformed bodies answered as JSON-RPC errors, never a 5xx.</summary>
public sealed class McpHttpBodyTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/\udc00"}""")]
    public async Task A_body_that_is_not_a_json_rpc_message_is_a_400_and_the_server_goes_on(string body)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(body));
        using var next = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (await RawMcp.ReadErrorCodeAsync(response)));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_body_declared_larger_than_4_MiB_is_413()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(PaddedToolsList(FourMiB + 1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, await RawMcp.ReadErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_streamed_body_larger_than_4_MiB_is_413()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PaddedToolsList(FourMiB + 1))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = RawMcp.Request(HttpMethod.Post, content: content);
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_of_exactly_4_MiB_is_served()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(PaddedToolsList(FourMiB)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(0, (await RawMcp.ReadEventAsync(response)).GetProperty("result").GetProperty("tools").GetArrayLength());
    }

    [Fact]
    public async Task A_refused_client_gets_its_refusal_not_413_for_a_large_body()
    {
        using var app = new TutorClawApp { RemoteIpAddress = IPAddress.Parse("203.0.113.7") };
        using var client = app.CreateClient();

        using var response = await client.SendAsync(RawMcp.Post(PaddedToolsList(FourMiB + 1)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>A tools/list request padded with whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string PaddedToolsList(int bytes) => RawMcp.ToolsList.PadRight(bytes);
}
