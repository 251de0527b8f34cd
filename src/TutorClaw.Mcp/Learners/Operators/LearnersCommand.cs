using System.Globalization;

namespace TutorClaw.Mcp.Learners.Operators;

/// <summary>
/// <c>learners [--tier paid|free]</c>: one line per learner, for operators: id, stored tier, and
/// what put them there ("lrn_… paid 2026-12-03 paid: granted by the operator on 3 Dec 2026
/// (scholarship)"). Read-only. A document that cannot be read is named on <c>error</c> and makes
/// the exit code 1; otherwise 0.
/// </summary>
public sealed class LearnersCommand(ILearnerRepository learners)
{
    public async Task<int> ListAsync(Tier? tier, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var ids = new List<LearnerId>();
        await foreach (var id in learners.ListIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }
        var exitCode = 0;
        foreach (var id in ids.OrderBy(i => i.Value, StringComparer.Ordinal))
        {
            Learner? learner;
            try
            {
                learner = await learners.FindAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                await error.WriteLineAsync($"{id.Value}: unreadable: {e.Message}");
                exitCode = 1;
                continue;
            }
            if (learner is null || (tier is { } wanted && learner.Tier != wanted))
            {
                continue;
            }
            var change = TierRules.Explain(learner);
            var at = change.At is { } when ? when.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-";
            await output.WriteLineAsync($"{id.Value} {(learner.Tier == Tier.Paid ? "paid" : "free")} {at} {change.Description}");
        }
        return exitCode;
    }
}
