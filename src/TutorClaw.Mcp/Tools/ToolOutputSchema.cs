using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// A tool's outputSchema: the properties of its result record, and a result is either that record
/// (every property present) or a <see cref="ToolError"/>. Errors carry structuredContent too (the
/// relayable sentence and an operator_hint), and the official TypeScript client validates
/// structuredContent whenever it is present, isError or not, so the schema admits both.
/// </summary>
/// <remarks>
/// The shape keeps the record's <c>properties</c> at the top, where clients and models look, and
/// moves its <c>required</c> into the first branch of an <c>anyOf</c>; the second branch is the
/// error, closed with <c>additionalProperties: false</c> so a broken success cannot pass as an error.
/// Property names and enum values come from <see cref="ToolResults.Json"/>, the options the results
/// are written with, so the schema and the results cannot disagree on spelling.
/// </remarks>
public static class ToolOutputSchema
{
    private static readonly AIJsonSchemaCreateOptions EveryPropertyRequired = new()
    {
        // Results are written with JsonIgnoreCondition.Never: every property is always present (null when empty).
        TransformOptions = new AIJsonSchemaTransformOptions { RequireAllProperties = true },
    };

    /// <summary>What every error's structuredContent is: a <see cref="ToolError"/>, and nothing more.
    /// Kept as text: a parsed JsonObject is not safe to read from two threads at once.</summary>
    private static readonly string ErrorSchema = Closed(Generate(typeof(ToolError))).ToJsonString();

    public static JsonElement For(Type resultType)
    {
        var schema = Generate(resultType);
        if ((string?)schema["type"] != "object")
        {
            throw new InvalidOperationException($"A tool result must be a JSON object; {resultType.Name} is not.");
        }
        var required = schema["required"]?.DeepClone() ?? new JsonArray();
        schema.Remove("required");
        schema["anyOf"] = new JsonArray(
            new JsonObject
            {
                ["description"] = "A successful result (isError absent or false).",
                ["required"] = required,
            },
            JsonNode.Parse(ErrorSchema));
        using var document = JsonDocument.Parse(schema.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonObject Closed(JsonObject schema)
    {
        schema["additionalProperties"] = false;
        return schema;
    }

    private static JsonObject Generate(Type type) =>
        JsonNode.Parse(AIJsonUtilities.CreateJsonSchema(type, serializerOptions: ToolResults.Json, inferenceOptions: EveryPropertyRequired).GetRawText())!.AsObject();
}
