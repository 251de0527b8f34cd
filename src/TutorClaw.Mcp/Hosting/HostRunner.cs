using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Hosting;

public static class HostRunner
{
    /// <summary>The listen address of SPEC §1, applied to Kestrel, and what a taken address means in <paramref name="mode"/>.</summary>
    public static IWebHostBuilder UseTutorClawListener(this IWebHostBuilder webHost, IConfiguration configuration, LaunchMode mode) =>
        webHost
            .UseUrls(ConfigurationSources.ListenUrls(configuration))
            .ConfigureServices(services => HttpDoorServer.Wrap(services, mode));

    /// <summary>
    /// Checks every setting before anything resolves options (mapping /mcp already does, and so
    /// does the host's start): a mistake is one stderr line naming the variable and exit code 2,
    /// where the host's own failure would be a stack trace. Null when all is well.
    /// </summary>
    public static int? RefuseInvalidSettings(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return Refuse(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OptionsValidationException))
        {
            return Refuse(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures));
        }
    }

    private static int Refuse(IEnumerable<string> failures)
    {
        Console.Error.WriteLine("TutorClaw cannot start: " + string.Join(" ", failures));
        return 2;
    }

    /// <summary>
    /// Runs the host. A configuration mistake ends the process with one line on stderr naming
    /// the variable (never its value) and exit code 2; no stack trace.
    /// </summary>
    public static async Task<int> RunTutorClawAsync(this WebApplication app, CommandLine commandLine)
    {
        try
        {
            if (await PostgresStartup.PrepareAsync(app.Services, app.Lifetime.ApplicationStopping) is { } storeProblem)
            {
                await Console.Error.WriteLineAsync("TutorClaw cannot start: " + storeProblem);
                return 1;
            }
            if (commandLine.Run is { } command)
            {
                return await command(app.Services, Console.Out, app.Lifetime.ApplicationStopping);
            }
            var door = app.Services.GetService<HttpDoorStatus>();
            await app.RunAsync();
            if (door?.Failure is { } failure)
            {
                await Console.Error.WriteLineAsync("TutorClaw cannot start: " + failure);
                return 2;
            }
            return 0;
        }
        catch (OptionsValidationException e)
        {
            return Refuse(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OptionsValidationException))
        {
            return Refuse(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures));
        }
    }
}
