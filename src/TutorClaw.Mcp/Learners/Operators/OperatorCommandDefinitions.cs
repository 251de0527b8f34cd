using System.CommandLine;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Learners.Operators;

/// <summary>The operator commands' registrations in <see cref="CommandLineDefinition.Root"/>.</summary>
public static class OperatorCommandDefinitions
{
    public static ServiceCommand Grant() => Decision(
        "grant", "Put a learner on the paid tier by hand (recorded in their history; see the README's Entitlement rules).",
        (commands, learner, reason, output, cancellationToken) => commands.GrantAsync(learner, reason, output, Console.Error, cancellationToken));

    public static ServiceCommand Revoke() => Decision(
        "revoke", "Put a learner on the free tier by hand (recorded in their history; see the README's Entitlement rules).",
        (commands, learner, reason, output, cancellationToken) => commands.RevokeAsync(learner, reason, output, Console.Error, cancellationToken));

    public static ServiceCommand RotateUpgradeLink()
    {
        var learner = new Argument<string>("LEARNER") { Description = "The learner_id." };
        return new ServiceCommand(
            "rotate_upgrade_link",
            "Give a learner a new stable payment link (/pay/...); the old one stops working.",
            parsed => (services, output, cancellationToken) =>
                services.GetRequiredService<RotateUpgradeLinkCommand>().RunAsync(parsed.GetValue(learner), output, Console.Error, cancellationToken))
        {
            learner,
        };
    }

    public static ServiceCommand Learners()
    {
        var tier = new Option<string?>("--tier") { Description = "Only learners on this tier.", HelpName = "paid|free" };
        // One line, like every other usage error (AcceptOnlyFromAmong lists the choices over three).
        tier.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not (null or "paid" or "free"))
            {
                result.AddError("--tier must be paid or free.");
            }
        });
        return new ServiceCommand(
            "learners",
            "List learners, one line each: id, stored tier, and what put them there.",
            parsed => (services, output, cancellationToken) => services.GetRequiredService<LearnersCommand>().ListAsync(
                parsed.GetValue(tier) switch { "paid" => Tier.Paid, "free" => Tier.Free, _ => null },
                output, Console.Error, cancellationToken))
        {
            tier,
        };
    }

    private static ServiceCommand Decision(
        string name, string description, Func<TierCommands, string?, string?, TextWriter, CancellationToken, Task<int>> run)
    {
        var learner = new Argument<string>("LEARNER") { Description = "The learner_id." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the learner's history (at most 200 characters).", HelpName = "text" };
        return new ServiceCommand(
            name,
            description,
            parsed => (services, output, cancellationToken) =>
                run(services.GetRequiredService<TierCommands>(), parsed.GetValue(learner), parsed.GetValue(reason), output, cancellationToken))
        {
            learner,
            reason,
        };
    }
}
