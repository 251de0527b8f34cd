using System.Text.Json;
using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Learners;

/// <summary>Learner ids travel as plain strings and are validated again when a document is read.</summary>
public sealed class LearnerIdJsonConverter : JsonConverter<LearnerId>
{
    public override LearnerId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LearnerId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException(LearnerId.Rule);

    public override void Write(Utf8JsonWriter writer, LearnerId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
