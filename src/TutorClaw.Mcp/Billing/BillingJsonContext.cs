using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Billing;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UnmatchedPayment))]
[JsonSerializable(typeof(ReconciliationCursor))]
public sealed partial class BillingJsonContext : JsonSerializerContext;
