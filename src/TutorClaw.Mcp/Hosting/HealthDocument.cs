using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Hosting;

/// <summary>The JSON body of GET /health.</summary>
public sealed record HealthDocument(string Status, string StripeMode, bool WebhooksVerifiable, RepositoryHealth Repository);

public sealed record RepositoryHealth(string Kind, string Location, bool Writable);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthDocument))]
public sealed partial class HealthJsonContext : JsonSerializerContext;
