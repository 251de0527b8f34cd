using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// <c>--help</c> for the server and every command: System.CommandLine's own help, then every
/// setting with its environment variable and default (<see cref="Settings.All"/>).
/// </summary>
public sealed class SettingsHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Settings (environment variable, or the same key in .env or appsettings.json):");
        var width = Settings.All.Max(s => s.Variable.Length) + 2;
        foreach (var setting in Settings.All)
        {
            output.WriteLine($"  {setting.Variable.PadRight(width)}{setting.Meaning} [default: {setting.Default}]");
        }
        output.WriteLine();
        output.WriteLine("Exit codes: 0 done, 1 failed (a command could not finish), 2 usage or configuration error.");
        return CommandLine.ExitOk;
    }
}
