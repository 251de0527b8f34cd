namespace TutorClaw.Mcp.Learners.Operators;

/// <summary>
/// <c>grant LEARNER [--reason TEXT]</c> and <c>revoke LEARNER [--reason TEXT]</c>: an operator's
/// decision, recorded in the learner's history (time, action, reason) and applied to the stored
/// tier by <see cref="TierRules"/>. They write through the repository's cross-process lock, so they
/// are safe beside a running server. Entry points take already-parsed values and return the exit
/// code: 0 done, 2 bad input (one line on <c>error</c>).
/// </summary>
public sealed class TierCommands(ILearnerRepository learners, TimeProvider clock)
{
    public const int MaxReasonLength = 200;

    public Task<int> GrantAsync(string? learnerId, string? reason, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        DecideAsync(OperatorAction.Grant, learnerId, reason, output, error, cancellationToken);

    public Task<int> RevokeAsync(string? learnerId, string? reason, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        DecideAsync(OperatorAction.Revoke, learnerId, reason, output, error, cancellationToken);

    private async Task<int> DecideAsync(
        OperatorAction action, string? learnerId, string? reason, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var command = action == OperatorAction.Grant ? "grant" : "revoke";
        if (string.IsNullOrEmpty(learnerId))
        {
            await error.WriteLineAsync($"TutorClaw: {command} needs a learner id: {command} LEARNER [--reason TEXT].");
            return 2;
        }
        if (!LearnerId.TryParse(learnerId, out var id))
        {
            // The input is not echoed: it may hold anything, terminal escapes included.
            await error.WriteLineAsync($"TutorClaw: that is not a valid learner id ({LearnerId.Rule}).");
            return 2;
        }
        var trimmedReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (trimmedReason is not null && (trimmedReason.Length > MaxReasonLength || trimmedReason.Any(char.IsControl)))
        {
            await error.WriteLineAsync($"TutorClaw: --reason must be at most {MaxReasonLength} characters, without control characters.");
            return 2;
        }
        // A revoke also retires the learner's stable payment link: a link passed around no longer works.
        var decided = await learners.UpdateAsync(
            id,
            learner => TierRules.DecideByOperator(learner, action, trimmedReason, clock.GetUtcNow()) is var d && action == OperatorAction.Revoke && d.UpgradeToken is not null
                ? d with { UpgradeToken = null }
                : d,
            cancellationToken).ConfigureAwait(false);
        if (decided is null)
        {
            await error.WriteLineAsync($"TutorClaw: no learner with id {id.Value} is registered.");
            return 2;
        }
        await output.WriteLineAsync($"{id.Value} {TierRules.Explain(decided).Description}");
        return 0;
    }
}
