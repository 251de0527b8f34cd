using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// Our own words on the command line, taken out before the rest reaches ASP.NET Core's
/// command-line configuration. That provider reads <c>--stdio --urls X</c> as "stdio = --urls",
/// so a valueless flag must never reach it.
/// </summary>
public sealed record CommandLine(
    LaunchMode Mode, string[] HostArgs, TimeSpan? ReconcileSince, bool ListUnmatched, string? Error = null,
    string? LearnerId = null, string? Reason = null, Tier? TierFilter = null)
{
    public const string StdioFlag = "--stdio";
    public const string ReconcileCommand = "reconcile";
    public const string GrantCommand = "grant";
    public const string RevokeCommand = "revoke";
    public const string LearnersCommand = "learners";

    /// <summary>
    /// What the web application builder is created with: <see cref="HostArgs"/> plus "no reload on
    /// change". The builder's default appsettings.json providers exist only until
    /// <see cref="ConfigurationSources.AddTutorClawConfiguration"/> replaces them, but with reload on
    /// they leave behind a recursive file watcher on the working directory, which holds ./data:
    /// every learner, lock and index write then woke a watcher thread (about 10% of the server's
    /// CPU under webhook load) and a large working directory slowed start-up. Our own sources never
    /// reload, so nothing is lost.
    /// </summary>
    public string[] BuilderArgs => [.. HostArgs, "--hostBuilder:reloadConfigOnChange=false"];

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var mode = LaunchMode.Server;
        TimeSpan? since = null;
        var listUnmatched = false;
        string? error = null;
        string? learnerId = null;
        string? reason = null;
        Tier? tierFilter = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var decides = mode is LaunchMode.Grant or LaunchMode.Revoke;
            if (arg == StdioFlag)
            {
                mode = mode == LaunchMode.Server ? LaunchMode.Stdio : mode;
            }
            else if (i == 0 && arg == ReconcileCommand)
            {
                mode = LaunchMode.Reconcile;
            }
            else if (i == 0 && arg is GrantCommand or RevokeCommand or LearnersCommand)
            {
                mode = arg switch { GrantCommand => LaunchMode.Grant, RevokeCommand => LaunchMode.Revoke, _ => LaunchMode.Learners };
            }
            else if (decides && arg == "--reason")
            {
                reason = i + 1 < args.Count ? args[++i] : null;
                error ??= reason is null ? "--reason needs a text, e.g. --reason \"scholarship\"." : null;
            }
            else if (decides && !arg.StartsWith('-') && learnerId is null)
            {
                learnerId = arg;
            }
            else if (mode == LaunchMode.Learners && arg == "--tier")
            {
                tierFilter = i + 1 < args.Count ? args[++i] switch { "paid" => Tier.Paid, "free" => Tier.Free, _ => null } : null;
                error ??= tierFilter is null ? "--tier must be paid or free." : null;
            }
            else if (mode == LaunchMode.Reconcile && arg == "--since" && i + 1 < args.Count)
            {
                since = ParseDuration(args[++i]);
                error = since is null ? "--since needs a duration such as 72h, 3d or 90m." : error;
            }
            else if (mode == LaunchMode.Reconcile && arg == "--unmatched")
            {
                listUnmatched = true;
            }
            else
            {
                rest.Add(arg);
            }
        }
        if (mode is LaunchMode.Grant or LaunchMode.Revoke && learnerId is null)
        {
            var command = mode == LaunchMode.Grant ? GrantCommand : RevokeCommand;
            error ??= $"{command} needs a learner id: {command} LEARNER [--reason TEXT].";
        }
        return new CommandLine(mode, [.. rest], since, listUnmatched, error, learnerId, reason, tierFilter);
    }

    /// <summary>"72h", "3d", "90m" or a plain number of hours; null if it is none of these.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        var unit = char.ToLowerInvariant(trimmed[^1]);
        var digits = char.IsDigit(unit) ? trimmed : trimmed[..^1];
        if (!int.TryParse(digits, out var amount) || amount <= 0)
        {
            return null;
        }
        return unit switch
        {
            'd' => TimeSpan.FromDays(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' or >= '0' and <= '9' => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
