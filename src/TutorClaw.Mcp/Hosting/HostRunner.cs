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
    /// Checks our settings before anything resolves options (mapping /mcp already does, and so
    /// does the host's start): a mistake is one stderr line naming every wrong variable and exit
    /// code 2, where the host's own failure would be a stack trace. Null when all is well. Only
    /// our options are checked here, not the host's whole start-up validation: that also builds
    /// the meter provider (<see cref="Telemetry.TelemetrySetup.BuildMetersAside"/>), which is
    /// being built on another thread meanwhile; the host runs it all again when it starts.
    /// </summary>
    public static int? RefuseInvalidSettings(this WebApplication app)
    {
        var failures = new List<string>();
        Check<StripeOptions>(app.Services, failures);
        Check<StorageOptions>(app.Services, failures);
        Check<ServerOptions>(app.Services, failures);
        return failures.Count == 0 ? null : Refuse(failures);
    }

    private static void Check<TOptions>(IServiceProvider services, List<string> failures)
        where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
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
