using System.Text.Json;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Tests.Tools;

public sealed class ToolArgumentsTests
{
    // The shape the SDK generates for check_chapter_access and register_learner.
    private static readonly JsonElement ChapterSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"learner_id":{"type":"string"},"chapter":{"type":"integer"}},"required":["learner_id","chapter"]}
        """).RootElement;

    private static readonly JsonElement RegisterSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"name":{"type":"string"},"phone":{"type":["string","null"],"default":null}},"required":["name"]}
        """).RootElement;

    private static Dictionary<string, JsonElement> Arguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData("""{"learner_id":"lrn_a","chapter":3}""")]
    [InlineData("""{"learner_id":"lrn_a","chapter":"3"}""")]
    [InlineData("""{"learner_id":"lrn_a","chapter":-1,"extra":{"ignored":true}}""")]
    public void Arguments_that_fit_the_schema_pass(string json) =>
        Assert.Null(ToolArguments.Problem(ChapterSchema, Arguments(json)));

    [Theory]
    [InlineData("""{"learner_id":42,"chapter":3}""", "The argument learner_id must be a string.")]
    [InlineData("""{"learner_id":{"a":1},"chapter":3}""", "The argument learner_id must be a string.")]
    [InlineData("""{"learner_id":["a"],"chapter":3}""", "The argument learner_id must be a string.")]
    [InlineData("""{"learner_id":"lrn_a","chapter":"three"}""", "The argument chapter must be a whole number (at most 2147483647).")]
    [InlineData("""{"learner_id":"lrn_a","chapter":3.5}""", "The argument chapter must be a whole number (at most 2147483647).")]
    [InlineData("""{"learner_id":"lrn_a","chapter":1e308}""", "The argument chapter must be a whole number (at most 2147483647).")]
    [InlineData("""{"learner_id":"lrn_a","chapter":99999999999}""", "The argument chapter must be a whole number (at most 2147483647).")]
    [InlineData("""{"learner_id":"lrn_a","chapter":[3]}""", "The argument chapter must be a whole number (at most 2147483647).")]
    [InlineData("""{"learner_id":"lrn_a"}""", "The argument chapter is required.")]
    [InlineData("""{"learner_id":null,"chapter":3}""", "The argument learner_id is required.")]
    public void A_wrong_or_missing_argument_is_named(string json, string expected) =>
        Assert.Equal(expected, ToolArguments.Problem(ChapterSchema, Arguments(json)));

    [Fact]
    public void No_arguments_at_all_names_the_first_required_one() =>
        Assert.Equal("The argument learner_id is required.", ToolArguments.Problem(ChapterSchema, null));

    [Theory]
    [InlineData("""{"name":"Zoë"}""", null)]
    [InlineData("""{"name":"Zoë","phone":null}""", null)]
    [InlineData("""{"name":"Zoë","phone":15551234567}""", "The argument phone must be a string.")]
    [InlineData("""{"name":true}""", "The argument name must be a string.")]
    public void A_nullable_argument_accepts_null_and_its_type(string json, string? expected) =>
        Assert.Equal(expected, ToolArguments.Problem(RegisterSchema, Arguments(json)));
}
