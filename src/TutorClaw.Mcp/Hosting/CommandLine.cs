using System.CommandLine;
using System.CommandLine.Help;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners.Operators;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Hosting;

/// <summary>What a one-off command does once the services are composed (Kestrel is not started).</summary>
public delegate Task<int> CommandRun(IServiceProvider services, TextWriter output, CancellationToken cancellationToken);

/// <summary>
/// The parsed command line (System.CommandLine): the launch mode, what reaches ASP.NET Core's
/// command-line configuration, and the command to run instead of serving, if any. Help and usage
/// errors are answered by <see cref="AnswerAlone"/> before any host exists.
/// </summary>
public sealed record CommandLine(LaunchMode Mode, string[] HostArgs, CommandRun? Run, ParseResult Parsed)
{
    public const string StdioFlag = "--stdio";
    public const string UrlsOption = "--urls";

    /// <summary>Exit codes the README documents.</summary>
    public const int ExitOk = 0, ExitFailed = 1, ExitUsage = 2;

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
        var root = CommandLineDefinition.Root();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return new CommandLine(LaunchMode.Server, [], null, parsed);
        }
        var hostArgs = CommandLineDefinition.HostOptions
            .Where(o => parsed.GetResult(o) is not null && parsed.GetValue(o) is not null)
            .SelectMany(o => new[] { o.Name, parsed.GetValue(o)! })
            .ToArray();
        if (parsed.CommandResult.Command is ServiceCommand command)
        {
            return new CommandLine(LaunchMode.Command, hostArgs, command.Bind(parsed), parsed);
        }
        var mode = parsed.GetValue(CommandLineDefinition.Stdio) ? LaunchMode.Stdio : LaunchMode.Server;
        return new CommandLine(mode, hostArgs, null, parsed);
    }

    /// <summary>
    /// Help, version or a usage error, answered without starting anything: the exit code, or null
    /// when the command line asks for the server or a command. A usage error is one line on
    /// <paramref name="error"/> and exit code 2.
    /// </summary>
    public int? AnswerAlone(TextWriter output, TextWriter error)
    {
        if (Parsed.Action is SettingsHelpAction || CommandLineDefinition.AsksForVersion(Parsed))
        {
            return Parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }
        if (Parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', Parsed.CommandResult.Command.Name == Parsed.RootCommandResult.Command.Name
                ? [CommandLineDefinition.ToolName]
                : new[] { CommandLineDefinition.ToolName, Parsed.CommandResult.Command.Name });
            error.WriteLine($"TutorClaw: {Parsed.Errors[0].Message} See '{command} --help'.");
            return ExitUsage;
        }
        return null;
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

/// <summary>A subcommand that runs against the composed services: <see cref="Bind"/> turns the parsed values into the run.</summary>
public sealed class ServiceCommand(string name, string description, Func<ParseResult, CommandRun> bind) : Command(name, description)
{
    public Func<ParseResult, CommandRun> Bind { get; } = bind;
}

/// <summary>The command tree: the server's own options and one registration per command.</summary>
public static class CommandLineDefinition
{
    /// <summary>The name help and error lines use (the tool command of the dotnet tool package).</summary>
    public const string ToolName = "tutorclaw-mcp";

    /// <summary>No value; accepted anywhere among the arguments (also after a command, where it changes nothing).</summary>
    public static readonly Option<bool> Stdio = new(CommandLine.StdioFlag)
    {
        Description = "Also serve MCP JSON-RPC on stdin/stdout (Claude Code, Claude Desktop, MCP Inspector); logs go to stderr.",
        Recursive = true,
    };

    public static readonly Option<string> Urls = new(CommandLine.UrlsOption)
    {
        Description = "Listen address(es), ';'-separated. Beats TUTORCLAW_URLS and ASPNETCORE_URLS.",
        HelpName = "url",
    };

    /// <summary>
    /// ASP.NET Core's own host settings, passed by hosts that start the entry point themselves
    /// (WebApplicationFactory: <c>--environment=…</c>, <c>--contentRoot=…</c>, <c>--applicationName=…</c>).
    /// Not listed in help; forwarded to the host's configuration like <c>--urls</c>.
    /// </summary>
    private static readonly Option<string>[] AspNetCoreHostOptions =
        [.. new[] { "--environment", "--contentRoot", "--applicationName" }.Select(name => new Option<string>(name) { Hidden = true })];

    /// <summary>Every option whose value reaches ASP.NET Core's command-line configuration.</summary>
    public static IEnumerable<Option<string>> HostOptions => [Urls, .. AspNetCoreHostOptions];

    /// <summary>
    /// The root command. Each command is one registration, a <see cref="ServiceCommand"/> whose
    /// options are declared beside the class that runs it, e.g. for an operator command class
    /// <c>GrantCommand(LearnerId learner, string? reason)</c> with <c>RunAsync(IServiceProvider, TextWriter, CancellationToken)</c>:
    /// <code>
    /// var learner = new Argument&lt;string&gt;("LEARNER") { Description = "learner_id" };
    /// var reason = new Option&lt;string?&gt;("--reason") { Description = "Kept in the learner's history" };
    /// var grant = new ServiceCommand("grant", "Put a learner on the paid tier by hand.",
    ///     parsed =&gt; new GrantCommand(LearnerId.Parse(parsed.GetValue(learner)!), parsed.GetValue(reason)).RunAsync) { learner, reason };
    /// </code>
    /// then one line below: <c>root.Subcommands.Add(grant)</c>. Help (with the settings list),
    /// unknown-option errors (exit 2) and <c>--stdio</c>/<c>--urls</c> come for free.
    /// </summary>
    public static RootCommand Root()
    {
        var root = new RootCommand(
            "TutorClaw MCP server: MCP tools, Stripe Checkout and signed webhooks. Without a command it serves "
            + "/webhook, /mcp, /health and /metrics on the listen address (default " + ServerOptions.DefaultUrls + ").")
        {
            Stdio,
            Urls,
        };
        foreach (var option in AspNetCoreHostOptions)
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(ReconcileCommand.Definition());
        root.Subcommands.Add(BackupCommand.Definition());
        root.Subcommands.Add(MigrateFromFilesCommand.Definition());
        root.Subcommands.Add(OperatorCommandDefinitions.Grant());
        root.Subcommands.Add(OperatorCommandDefinitions.Revoke());
        root.Subcommands.Add(OperatorCommandDefinitions.RotateUpgradeLink());
        root.Subcommands.Add(OperatorCommandDefinitions.Learners());

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new SettingsHelpAction((HelpAction)help.Action!);
        // Serving is the root's own action (run by Program.cs, not here); having one means a stray
        // argument reads "Unrecognized command or argument", not "Required command was not provided".
        root.SetAction(_ => CommandLine.ExitOk);
        return root;
    }

    public static bool AsksForVersion(ParseResult parsed) =>
        parsed.Action is { } action
        && parsed.RootCommandResult.Command.Options.OfType<VersionOption>().Any(v => ReferenceEquals(v.Action, action));
}
