using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Hosting;

public static class HostRunner
{
    /// <summary>The listen address of SPEC §1, applied to Kestrel.</summary>
    public static IWebHostBuilder UseTutorClawListener(this IWebHostBuilder webHost, IConfiguration configuration) =>
        webHost.UseUrls(ConfigurationSources.ListenUrls(configuration));

    /// <summary>
    /// Runs the host. A configuration mistake ends the process with one line on stderr naming
    /// the variable (never its value) and exit code 2; no stack trace.
    /// </summary>
    public static async Task<int> RunTutorClawAsync(this WebApplication app, CommandLine commandLine)
    {
        if (commandLine.Error is { } usage)
        {
            await Console.Error.WriteLineAsync("TutorClaw: " + usage);
            return 2;
        }
        try
        {
            // Validate before the host starts: the host's own start-up failure log would add a
            // second stderr line with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            if (await PostgresStartup.PrepareAsync(app.Services, app.Lifetime.ApplicationStopping) is { } storeProblem)
            {
                await Console.Error.WriteLineAsync("TutorClaw cannot start: " + storeProblem);
                return 1;
            }
            if (commandLine.Mode == LaunchMode.Reconcile)
            {
                return await ReconcileCommand.RunAsync(app.Services, commandLine, Console.Out, app.Lifetime.ApplicationStopping);
            }
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("TutorClaw cannot start: " + string.Join(" ", e.Failures));
            return 2;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures);
            await Console.Error.WriteLineAsync("TutorClaw cannot start: " + string.Join(" ", failures));
            return 2;
        }
    }
}
