using System.Text.Json;
using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Learners;

/// <summary>SPEC's snake_case names, set once for every stored document (source-generated, no reflection).
/// Enum values are written in SPEC's lowercase words too ("free", "paid", "open", …).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(LearnerIdJsonConverter), typeof(SnakeCaseEnumConverter<Tier>), typeof(SnakeCaseEnumConverter<CheckoutStatus>), typeof(SnakeCaseEnumConverter<OperatorAction>)])]
[JsonSerializable(typeof(Learner))]
public sealed partial class LearnerJsonContext : JsonSerializerContext;

/// <summary>An enum as its snake_case name; reading accepts any casing, so older documents still load.</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
