using System.Collections;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// The environment a spawned server gets in tests: none of the caller's Stripe, TutorClaw or
/// listen-address variables, its own data directory, no background reconciliation, plus the
/// test's own settings. A null value means "remove the variable".
/// </summary>
public static class ServerEnvironment
{
    public static Dictionary<string, string?> Changes(string dataDirectory, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var changes = new Dictionary<string, string?>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (IsServerSetting(name))
            {
                changes[name] = null;
            }
        }
        changes["TUTORCLAW_DATA_DIR"] = dataDirectory;
        changes["TUTORCLAW_RECONCILE_MINUTES"] = "0";
        foreach (var (name, value) in settings)
        {
            changes[name] = value;
        }
        return changes;
    }

    /// <summary>Applies <see cref="Changes"/> to a process start's environment.</summary>
    public static void Apply(IDictionary<string, string?> environment, IReadOnlyDictionary<string, string?> changes)
    {
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }
    }

    private static bool IsServerSetting(string name) =>
        name.StartsWith("STRIPE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TUTORCLAW_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase);
}
