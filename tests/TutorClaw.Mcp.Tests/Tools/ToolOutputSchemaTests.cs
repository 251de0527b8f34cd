using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Tests.Tools;

public sealed class ToolOutputSchemaTests
{
    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void The_schema_lists_the_records_properties_in_snake_case_with_enums_as_their_json_strings()
    {
        var schema = ToolOutputSchema.For(typeof(RegisteredLearner));

        Assert.Equal("object", schema.GetProperty("type").GetString());
        var properties = schema.GetProperty("properties");
        Assert.Equal(["learner_id", "tier", "created", "created_at", "free_chapters"], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["free", "paid"], Strings(properties.GetProperty("tier").GetProperty("enum")));
        Assert.Equal("date-time", properties.GetProperty("created_at").GetProperty("format").GetString());
    }

    [Fact]
    public void A_result_is_either_the_record_with_every_property_or_a_closed_error()
    {
        var schema = ToolOutputSchema.For(typeof(ChapterAccessAnswer));

        Assert.False(schema.TryGetProperty("required", out _));
        var branches = schema.GetProperty("anyOf").EnumerateArray().ToList();
        Assert.Equal(2, branches.Count);
        Assert.Equal(schema.GetProperty("properties").EnumerateObject().Select(p => p.Name), Strings(branches[0].GetProperty("required")));
        Assert.Equal(["message", "operator_hint"], Strings(branches[1].GetProperty("required")));
        Assert.False(branches[1].GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["string", "null"], Strings(branches[1].GetProperty("properties").GetProperty("operator_hint").GetProperty("type")));
    }

    [Fact]
    public void A_result_that_is_not_a_json_object_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => ToolOutputSchema.For(typeof(string)));

    [Fact]
    public void A_tool_that_declares_no_result_record_stops_the_registration()
    {
        var builder = new ServiceCollection().AddMcpServer();

        var error = Assert.Throws<InvalidOperationException>(() => builder.WithTypedTools<UntypedTools>());

        Assert.Contains("untyped_tool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_result_carries_its_sentence_as_text_and_as_structured_content()
    {
        var result = ToolResults.OperatorFailure("Payments are not available right now.", "Set STRIPE_SECRET_KEY.");

        Assert.True(result.IsError);
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Equal("Payments are not available right now.", text);
        Assert.Equal(text, result.StructuredContent!.Value.GetProperty("message").GetString());
        Assert.Equal("Set STRIPE_SECRET_KEY.", result.StructuredContent.Value.GetProperty("operator_hint").GetString());
        Assert.Equal(JsonValueKind.Null, ToolResults.Failure("No.").StructuredContent!.Value.GetProperty("operator_hint").ValueKind);
    }

    [McpServerToolType]
    public sealed class UntypedTools
    {
        [McpServerTool(Name = "untyped_tool")]
        public static string Echo(string text) => text;
    }
}
