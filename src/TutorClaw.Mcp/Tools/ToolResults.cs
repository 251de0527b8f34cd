using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Every tool answers the same way: its result record as JSON text plus the same JSON as
/// structuredContent, or an isError result whose text is one sentence the agent can relay and
/// whose structuredContent is a <see cref="ToolError"/> holding that sentence. Both shapes are in
/// the tool's outputSchema (<see cref="ToolOutputSchema"/>).
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
        where T : class
    {
        var element = JsonSerializer.SerializeToElement(payload, Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    public static CallToolResult Failure(string sentence) => Error(new ToolError(sentence, OperatorHint: null));

    /// <summary>What a learner may be told when only the operator can fix the problem.</summary>
    public const string PaymentsUnavailableMessage = "Payments are not available right now; please try again later.";

    /// <summary>
    /// An error only whoever runs the server can fix (a missing or rejected key, an unknown price):
    /// the text is a sentence safe to pass to the learner; <c>operator_hint</c> in the structured
    /// content says what to fix, for the operator and the logs, not for the learner.
    /// </summary>
    public static CallToolResult OperatorFailure(string learnerSentence, string operatorHint) =>
        Error(new ToolError(learnerSentence, operatorHint));

    private static CallToolResult Error(ToolError error) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = error.Message }],
        StructuredContent = JsonSerializer.SerializeToElement(error, Json),
    };

    /// <summary>What a tool answers when the learner store cannot be written (disk full, read-only) or read.</summary>
    public const string StorageUnavailableMessage =
        "The server could not save or read learner records just now (its storage is failing), so nothing was done; try again in a few minutes.";

    public static CallToolResult StorageUnavailable() => Failure(StorageUnavailableMessage);

    public static CallToolResult InvalidLearnerId() => Failure($"That is not a valid learner_id: {Learners.LearnerId.Rule}.");

    public static CallToolResult UnknownLearner(string learnerId) =>
        Failure($"No learner with id {learnerId} is registered; call register_learner first.");
}
