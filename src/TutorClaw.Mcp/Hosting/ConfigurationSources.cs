using DotNetEnv.Configuration;

namespace TutorClaw.Mcp.Hosting;

public static class ConfigurationSources
{
    /// <summary>
    /// Rebuilds the configuration in SPEC §2's order. The provider added last wins, so the lowest
    /// comes first: appsettings.json (beside the executable, then in the working directory),
    /// .env in the working directory, the environment, then the command line.
    /// </summary>
    public static ConfigurationManager AddTutorClawConfiguration(this ConfigurationManager configuration, string[] hostArgs)
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(workingDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        // .env is read into configuration only: loading it into the process environment would let
        // it outrank real environment variables and leak into child processes.
        var dotEnv = Path.Combine(workingDirectory, ".env");
        if (File.Exists(dotEnv))
        {
            configuration.AddDotNetEnv(dotEnv, DotNetEnv.LoadOptions.NoEnvVars());
        }
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(hostArgs);
        return configuration;
    }

    /// <summary>SPEC §1: --urls, then TUTORCLAW_URLS, then ASPNETCORE_URLS, then the loopback default.</summary>
    public static string ListenUrls(IConfiguration configuration) =>
        SettingsTranslation.Read(configuration, "urls")
        ?? SettingsTranslation.Read(configuration, ConfigurationKeys.Urls)
        ?? SettingsTranslation.Read(configuration, "ASPNETCORE_URLS")
        ?? ServerOptions.DefaultUrls;
}
