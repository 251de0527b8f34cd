using System.Text;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Tests.Mcp;

/// <summary>/mcp's body parser answers refusals for JSON it cannot read; it never throws.</summary>
public sealed class McpHttpParseHostileTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_learner_tier","arguments":{"learner_id":"a\ud800b"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/\udc00"}""")]
    public void A_lone_surrogate_escape_is_an_invalid_request(string body)
    {
        var (messages, refusal) = McpHttpHandler.ParseMessages(Encoding.UTF8.GetBytes(body));

        Assert.Empty(messages);
        Assert.Equal(JsonRpcErrorResult.InvalidRequest, refusal!.Code);
    }
}
