using System.Diagnostics;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.LoadTest;

/// <summary>
/// Which server binary to run: a framework-dependent <c>TutorClaw.Mcp.dll</c> (started with
/// <c>dotnet</c>) or a published apphost executable. Defaults to the Release build of the
/// repository (<c>dotnet build -c Release</c> first).
/// </summary>
public sealed record ServerBuild(string Path)
{
    /// <summary>Arguments put before the server's own (the load tool's do-nothing server mode).</summary>
    public IReadOnlyList<string> LeadingArguments { get; init; } = [];

    public static ServerBuild Default => new(System.IO.Path.Combine(
        SharedStripeData.RepositoryRoot, "src", "TutorClaw.Mcp", "bin", "Release", "net10.0", "TutorClaw.Mcp.dll"));

    public bool IsDll => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public string Command => IsDll ? "dotnet" : Path;

    public IReadOnlyList<string> Arguments(IEnumerable<string> serverArguments) =>
        IsDll ? [Path, .. LeadingArguments, .. serverArguments] : [.. LeadingArguments, .. serverArguments];

    public ProcessStartInfo StartInfo(IEnumerable<string> serverArguments)
    {
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"No server build at {Path}; run `dotnet build -c Release` first or pass --server.");
        }
        var start = new ProcessStartInfo(Command) { UseShellExecute = false };
        foreach (var argument in Arguments(serverArguments))
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>A clean server environment: our data directory and webhook secret, no reconciliation
    /// timer, none of the caller's server settings, plus whatever --env asked for.</summary>
    public static void SetEnvironment(IDictionary<string, string?> environment, string dataDirectory, IReadOnlyDictionary<string, string> extra)
    {
        foreach (var key in environment.Keys.Where(IsServerSetting).ToList())
        {
            environment.Remove(key);
        }
        environment["TUTORCLAW_DATA_DIR"] = dataDirectory;
        environment["TUTORCLAW_RECONCILE_MINUTES"] = "0";
        environment["STRIPE_WEBHOOK_SECRET"] = ServerUnderTest.WebhookSecret;
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }
    }

    private static bool IsServerSetting(string key) =>
        key.StartsWith("STRIPE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("TUTORCLAW_", StringComparison.OrdinalIgnoreCase)
        || key.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase);
}
