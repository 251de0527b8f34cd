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

    /// <summary>
    /// The listen addresses in force and the setting to name when they are wrong. Once the host
    /// applies them, "urls" holds them whatever their source (UseUrls writes that key), so the
    /// source is the first variable holding the same value, else the --urls argument.
    /// </summary>
    public static (string Setting, string Urls) ListenSetting(IConfiguration configuration)
    {
        var urls = ListenUrls(configuration);
        var setting = SettingsTranslation.Read(configuration, ConfigurationKeys.Urls) == urls ? ConfigurationKeys.Urls
            : SettingsTranslation.Read(configuration, "ASPNETCORE_URLS") == urls ? "ASPNETCORE_URLS"
            : "--urls";
        return (setting, urls);
    }

    /// <summary>
    /// Whether Kestrel can parse every ';'-separated address: http(s), a host, a port 0–65535.
    /// Checked with the other settings, so a typo is one line naming the setting instead of
    /// Kestrel's FormatException once the host is already starting.
    /// </summary>
    public static bool AreListenUrls(string urls)
    {
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return addresses.Length > 0 && addresses.All(IsListenUrl);
    }

    private static bool IsListenUrl(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }
        return parsed.Scheme is "http" or "https"
            && parsed.Host.Length > 0
            && (parsed.IsUnixPipe || parsed.Port is >= 0 and <= 65535);
    }
}
