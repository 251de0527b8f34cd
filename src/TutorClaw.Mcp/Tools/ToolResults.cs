using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Every tool answers the same way: JSON text plus the same JSON as structuredContent, or an
/// isError result holding one sentence the agent can relay.
/// </summary>
public static class ToolResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static CallToolResult Success<T>(T payload)
    {
        var element = JsonSerializer.SerializeToElement(payload, Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    public static CallToolResult Failure(string sentence) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = sentence }],
    };

    /// <summary>What a learner may be told when only the operator can fix the problem.</summary>
    public const string PaymentsUnavailableMessage = "Payments are not available right now; please try again later.";

    /// <summary>
    /// An error only whoever runs the server can fix (a missing or rejected key, an unknown price):
    /// the text is a sentence safe to pass to the learner; <c>operator_hint</c> in the structured
    /// content says what to fix, for the operator and the logs, not for the learner.
    /// </summary>
    public static CallToolResult OperatorFailure(string learnerSentence, string operatorHint) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = learnerSentence }],
        StructuredContent = JsonSerializer.SerializeToElement(new { message = learnerSentence, operator_hint = operatorHint }, Json),
    };

    /// <summary>What a tool answers when the learner store cannot be written (disk full, read-only) or read.</summary>
    public const string StorageUnavailableMessage =
        "The server could not save or read learner records just now (its storage is failing), so nothing was done; try again in a few minutes.";

    public static CallToolResult StorageUnavailable() => Failure(StorageUnavailableMessage);

    public static CallToolResult InvalidLearnerId() => Failure($"That is not a valid learner_id: {Learners.LearnerId.Rule}.");

    public static CallToolResult UnknownLearner(string learnerId) =>
        Failure($"No learner with id {learnerId} is registered; call register_learner first.");
}
