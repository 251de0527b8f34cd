using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Learners;

/// <summary>SPEC's snake_case names, set once for every stored document (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(LearnerIdJsonConverter)])]
[JsonSerializable(typeof(Learner))]
public sealed partial class LearnerJsonContext : JsonSerializerContext;
