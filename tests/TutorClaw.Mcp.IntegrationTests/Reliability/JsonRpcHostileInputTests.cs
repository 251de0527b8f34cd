using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Mcp;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Raw JSON-RPC over /mcp that no SDK client would send: duplicate keys, deep nesting, wrong
/// types, broken UTF-8. Each is answered with a JSON-RPC error or a tool isError (never a 5xx),
/// and the server answers a normal request afterwards.
/// </summary>
public sealed class JsonRpcHostileInputTests
{
    /// <summary>What the answer must be: a JSON-RPC error, a tool result with isError, or (lenient) any non-5xx answer.</summary>
    public enum Expect
    {
        RpcError,
        ToolError,
        NotServerError,
    }

    private static string Call(string tool, string arguments) =>
        """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(tool) + ""","arguments":""" + arguments + "}}";

    public static TheoryData<string, string, Expect> Cases() => new()
    {
        // Duplicate keys: System.Text.Json keeps the last one, which here is hostile or harmless.
        { "duplicate argument", Call("get_learner_tier", """{"learner_id":"learner_demo","learner_id":"../x"}"""), Expect.ToolError },
        { "duplicate arguments object", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_learner_tier","arguments":{"learner_id":"a"},"arguments":{"learner_id":"../x"}}}""", Expect.NotServerError },
        { "duplicate tool name", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_learner_tier","name":"register_learner","arguments":{"learner_id":"a"}}}""", Expect.NotServerError },
        { "duplicate method", """{"jsonrpc":"2.0","id":7,"method":"tools/call","method":"tools/list"}""", Expect.NotServerError },
        { "duplicate id", """{"jsonrpc":"2.0","id":7,"id":8,"method":"tools/list"}""", Expect.NotServerError },
        { "duplicate jsonrpc", """{"jsonrpc":"1.0","jsonrpc":"2.0","id":7,"method":"tools/list"}""", Expect.NotServerError },
        // Deep nesting: refused by the parser's depth limit long before 10,000.
        { "arguments nested 10,000 deep", Call("get_learner_tier", """{"learner_id":""" + new string('[', 10_000) + new string(']', 10_000) + "}"), Expect.RpcError },
        { "body nested 10,000 deep", new string('[', 10_000) + new string(']', 10_000), Expect.RpcError },
        { "objects nested 10,000 deep", string.Concat(Enumerable.Repeat("""{"a":""", 10_000)) + "1" + new string('}', 10_000), Expect.RpcError },
        // Wrong types for each tool's arguments.
        { "learner_id number", Call("get_learner_tier", """{"learner_id":42}"""), Expect.ToolError },
        { "learner_id true", Call("get_learner_tier", """{"learner_id":true}"""), Expect.ToolError },
        { "learner_id object", Call("get_upgrade_url", """{"learner_id":{"value":"learner_demo"}}"""), Expect.ToolError },
        { "learner_id array", Call("check_chapter_access", """{"learner_id":["learner_demo"],"chapter":1}"""), Expect.ToolError },
        { "learner_id null", Call("get_upgrade_url", """{"learner_id":null}"""), Expect.ToolError },
        { "learner_id missing", Call("get_learner_tier", "{}"), Expect.ToolError },
        { "chapter word", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":"three"}"""), Expect.ToolError },
        { "chapter fraction", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":2.5}"""), Expect.ToolError },
        { "chapter 1e308", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":1e308}"""), Expect.ToolError },
        { "chapter beyond int", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":9223372036854775808}"""), Expect.ToolError },
        { "chapter object", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":{}}"""), Expect.ToolError },
        { "chapter array", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":[1]}"""), Expect.ToolError },
        { "chapter null", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":null}"""), Expect.ToolError },
        { "chapter zero", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":0}"""), Expect.ToolError },
        { "chapter negative", Call("check_chapter_access", """{"learner_id":"learner_demo","chapter":-2147483648}"""), Expect.ToolError },
        { "name number", Call("register_learner", """{"name":12}"""), Expect.ToolError },
        { "name array", Call("register_learner", """{"name":["Ada"]}"""), Expect.ToolError },
        { "phone number", Call("register_learner", """{"name":"Ada","phone":15551234567}"""), Expect.ToolError },
        { "arguments array", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_learner_tier","arguments":[1,2]}}""", Expect.RpcError },
        { "arguments string", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_learner_tier","arguments":"learner_demo"}}""", Expect.RpcError },
        { "params array", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":["get_learner_tier"]}""", Expect.NotServerError },
        { "params null", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":null}""", Expect.RpcError },
        { "tool name number", """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":5,"arguments":{}}}""", Expect.NotServerError },
        { "unknown tool", Call("../register_learner", "{}"), Expect.RpcError },
        { "id object", """{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}""", Expect.RpcError },
        { "method number", """{"jsonrpc":"2.0","id":7,"method":5}""", Expect.RpcError },
        { "unknown method", """{"jsonrpc":"2.0","id":7,"method":"../../etc/passwd"}""", Expect.RpcError },
        { "NUL escape in an id", Call("get_learner_tier", """{"learner_id":"learner_demo\u0000"}"""), Expect.ToolError },
        { "lone surrogate escape", Call("get_learner_tier", """{"learner_id":"a\ud800b"}"""), Expect.RpcError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_json_rpc_is_answered_without_a_5xx_and_the_server_goes_on(string name, string body, Expect expect)
    {
        Assert.NotEmpty(name);
        await AssertAnsweredAndServerGoesOnAsync(Encoding.UTF8.GetBytes(body), expect);
    }

    [Fact]
    public async Task Broken_utf8_inside_a_string_is_answered_without_a_5xx()
    {
        var body = Encoding.UTF8.GetBytes(Call("get_learner_tier", """{"learner_id":"learner_XX"}"""));
        var at = Encoding.UTF8.GetString(body).IndexOf("XX", StringComparison.Ordinal);
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        await AssertAnsweredAndServerGoesOnAsync(body, Expect.NotServerError);
    }

    [Fact]
    public async Task Broken_utf8_in_the_method_name_is_answered_without_a_5xx()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":7,"method":"tools/XX"}""");
        var at = Encoding.UTF8.GetString(body).IndexOf("XX", StringComparison.Ordinal);
        body[at] = 0xFF;

        await AssertAnsweredAndServerGoesOnAsync(body, Expect.NotServerError);
    }

    private static async Task AssertAnsweredAndServerGoesOnAsync(byte[] body, Expect expect)
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();
        var request = RawMcp.Request(HttpMethod.Post, content: new ByteArrayContent(body));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.SendAsync(request);
        var answer = await ReadAnswerAsync(response);
        using var next = await client.SendAsync(RawMcp.Post(RawMcp.ToolsList));
        var tools = await RawMcp.ReadEventAsync(next);

        Assert.True((int)response.StatusCode < 500, $"Answered {(int)response.StatusCode}: {answer}");
        switch (expect)
        {
            case Expect.RpcError:
                Assert.True(answer.TryGetProperty("error", out var error), answer.ToString());
                Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
                break;
            case Expect.ToolError:
                Assert.True(answer.GetProperty("result").GetProperty("isError").GetBoolean(), answer.ToString());
                var text = answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
                Assert.DoesNotContain("An error occurred", text);
                break;
        }
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotEqual(0, tools.GetProperty("result").GetProperty("tools").GetArrayLength());
    }

    /// <summary>The JSON-RPC message of an answer: an SSE event, a JSON error body, or nothing (202).</summary>
    private static async Task<JsonElement> ReadAnswerAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return default;
        }
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return await RawMcp.ReadEventAsync(response);
        }
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
