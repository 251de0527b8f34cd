using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Learners.Operators;

/// <summary>
/// <c>rotate_upgrade_link LEARNER</c>: gives the learner a new stable payment link; the old one
/// shows "not found" from now on (a link that leaked, say). The new link is not printed: the
/// tutor's next get_upgrade_url returns it. 0 done, 2 bad input (one line on <c>error</c>).
/// </summary>
public sealed class RotateUpgradeLinkCommand(UpgradeLinks links)
{
    public async Task<int> RunAsync(string? learnerId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!LearnerId.TryParse(learnerId, out var id))
        {
            // The input is not echoed: it may hold anything, terminal escapes included.
            await error.WriteLineAsync($"TutorClaw: that is not a valid learner id ({LearnerId.Rule}).");
            return 2;
        }
        if (await links.RotateAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            await error.WriteLineAsync($"TutorClaw: no learner with id {id.Value} is registered.");
            return 2;
        }
        await output.WriteLineAsync($"{id.Value} has a new upgrade link; the old one no longer works, and get_upgrade_url returns the new one.");
        return 0;
    }
}
