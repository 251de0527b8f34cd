using System.Globalization;
using System.Text.Json;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Checks a tools/call's arguments against the tool's own input schema before the SDK binds them,
/// so a missing argument or one of the wrong JSON type (a number for learner_id, an object for
/// chapter) is answered with a sentence naming it instead of the SDK's generic "An error occurred
/// invoking …". Only what our tools' schemas use is understood: <c>required</c> and a
/// <c>type</c> (or list of types) per property; unknown arguments are left to the SDK, which ignores them.
/// </summary>
public static class ToolArguments
{
    /// <summary>One sentence naming the first argument that does not fit, or null when all fit.</summary>
    public static string? Problem(JsonElement inputSchema, IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!))
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    return $"The argument {name} is required.";
                }
            }
        }
        if (arguments is null || !inputSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var (name, value) in arguments)
        {
            if (properties.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Object
                && property.TryGetProperty("type", out var type) && TypesOf(type) is { Count: > 0 } types
                && !types.Any(t => Fits(t, value)))
            {
                return $"The argument {name} must be {string.Join(" or ", types.Where(t => t != "null").Select(Describe))}.";
            }
        }
        return null;
    }

    private static List<string> TypesOf(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => [type.GetString()!],
        JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
        _ => [],
    };

    /// <summary>Integers are read into C# ints, so "integer" means one that fits; a numeric
    /// string is accepted as the SDK's binder accepts it.</summary>
    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _))
            || (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => true,
    };

    private static string Describe(string type) => type switch
    {
        "string" => "a string",
        "integer" => $"a whole number (at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)})",
        "number" => "a number",
        "boolean" => "true or false",
        "object" => "an object",
        "array" => "an array",
        _ => type,
    };
}
