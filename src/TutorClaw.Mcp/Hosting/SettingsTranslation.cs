using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// The one place that turns SPEC §2's flat variables into typed options. Nothing else reads
/// configuration keys. An empty string counts as unset.
/// </summary>
public static class SettingsTranslation
{
    public static IServiceCollection AddTutorClawOptions(this IServiceCollection services)
    {
        // Read lazily from the final IConfiguration, so sources added after composition (a test
        // host's settings) are seen too.
        services.AddSingleton(sp => TranslatedSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => sp.GetRequiredService<TranslatedSettings>().Problems);
        services.AddOptions<StripeOptions>()
            .Configure<TranslatedSettings>((o, s) => CopyStripe(s.Stripe, o)).ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Configure<TranslatedSettings>((o, s) =>
            {
                o.DataDirectory = s.Storage.DataDirectory;
                o.Commit = s.Storage.Commit;
            }).ValidateOnStart();
        services.AddOptions<ServerOptions>()
            .Configure<TranslatedSettings>((o, s) => CopyServer(s.Server, o)).ValidateOnStart();
        // A malformed TUTORCLAW_DATABASE_URL is a TUTORCLAW_ problem, reported with ServerOptions.
        services.AddOptions<PostgresOptions>()
            .Configure<TranslatedSettings>((o, s) => (o.ConnectionString, o.Location) = (s.Postgres.ConnectionString, s.Postgres.Location));
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        return services;
    }

    /// <summary>The result of one translation pass: typed values plus what could not be parsed.</summary>
    public sealed record TranslatedSettings(
        StripeOptions Stripe, StorageOptions Storage, ServerOptions Server, PostgresOptions Postgres, SettingsProblems Problems)
    {
        public static TranslatedSettings From(IConfiguration configuration)
        {
            var problems = new SettingsProblems();
            return new TranslatedSettings(
                ReadStripe(configuration, problems), ReadStorage(configuration, problems), ReadServer(configuration, problems),
                ReadPostgres(configuration, problems), problems);
        }
    }

    /// <summary>Reads a variable; blank or whitespace-only counts as unset. Values are trimmed (a
    /// trailing newline pasted into .env would otherwise silently make a different webhook key).
    /// "Unset" holds per source: an empty environment variable leaves the .env or appsettings.json
    /// value in force instead of hiding it (configuration's own indexer stops at the first source
    /// that has the key, empty or not).</summary>
    public static string? Read(IConfiguration configuration, string key)
    {
        if (configuration is IConfigurationRoot root)
        {
            // The provider added last wins, so look from the last one down.
            foreach (var provider in root.Providers.Reverse())
            {
                if (provider.TryGet(key, out var candidate) && Trimmed(candidate) is { } found)
                {
                    return found;
                }
            }
            return null;
        }
        return Trimmed(configuration[key]);
    }

    private static string? Trimmed(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static StripeOptions ReadStripe(IConfiguration configuration, SettingsProblems problems)
    {
        var options = new StripeOptions
        {
            SecretKey = Read(configuration, ConfigurationKeys.StripeSecretKey),
            PaidPriceId = Read(configuration, ConfigurationKeys.StripePriceIdPaid),
            WebhookSecrets = (Read(configuration, ConfigurationKeys.StripeWebhookSecret) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        switch (Read(configuration, ConfigurationKeys.BillingMode)?.ToLowerInvariant())
        {
            case null:
                break;
            case "payment":
                options.BillingMode = Stripe.CheckoutMode.Payment;
                break;
            case "subscription":
                options.BillingMode = Stripe.CheckoutMode.Subscription;
                break;
            default:
                problems.Add(ConfigurationKeys.BillingMode, "must be payment or subscription");
                break;
        }
        if (Read(configuration, ConfigurationKeys.StripeApiBase) is { } apiBase)
        {
            if (TryHttpUri(apiBase, out var uri))
            {
                options.ApiBase = uri;
            }
            else
            {
                problems.Add(ConfigurationKeys.StripeApiBase, "must be an absolute http(s) URL");
            }
        }
        return options;
    }

    private static StorageOptions ReadStorage(IConfiguration configuration, SettingsProblems problems)
    {
        var options = new StorageOptions
        {
            DataDirectory = Path.GetFullPath(Read(configuration, ConfigurationKeys.DataDir) ?? "data"),
        };
        switch (Read(configuration, ConfigurationKeys.StoreCommit))
        {
            case null or "group":
                break;
            case "per-write":
                options.Commit = StoreCommit.PerWrite;
                break;
            default:
                problems.Add(ConfigurationKeys.StoreCommit, "must be group or per-write");
                break;
        }
        return options;
    }

    private static PostgresOptions ReadPostgres(IConfiguration configuration, SettingsProblems problems)
    {
        if (Read(configuration, ConfigurationKeys.DatabaseUrl) is not { } url)
        {
            return new PostgresOptions();
        }
        if (DatabaseUrl.Translate(url) is { } options)
        {
            return options;
        }
        problems.Add(ConfigurationKeys.DatabaseUrl,
            "must be an Npgsql connection string (Host=…;Database=…) or a postgres://user:password@host:port/database URL");
        return new PostgresOptions();
    }

    private static ServerOptions ReadServer(IConfiguration configuration, SettingsProblems problems)
    {
        var options = new ServerOptions { McpToken = Read(configuration, ConfigurationKeys.McpToken) };
        if (Read(configuration, ConfigurationKeys.PublicUrl) is { } publicUrl)
        {
            if (TryHttpUri(publicUrl, out var uri))
            {
                options.PublicUrl = uri;
            }
            else
            {
                problems.Add(ConfigurationKeys.PublicUrl, "must be an absolute http(s) URL");
            }
        }
        if (Read(configuration, ConfigurationKeys.McpStateful) is { } stateful)
        {
            if (bool.TryParse(stateful, out var on))
            {
                options.McpStatefulSessions = on;
            }
            else
            {
                problems.Add(ConfigurationKeys.McpStateful, "must be true or false");
            }
        }
        if (Read(configuration, ConfigurationKeys.FreeChapters) is { } chapters)
        {
            if (int.TryParse(chapters, out var count) && count >= 0)
            {
                options.FreeChapters = count;
            }
            else
            {
                problems.Add(ConfigurationKeys.FreeChapters, "must be a whole number of chapters, 0 or more");
            }
        }
        if (Read(configuration, ConfigurationKeys.PastDueGraceDays) is { } graceDays)
        {
            if (int.TryParse(graceDays, out var days) && days is >= 0 and <= 60)
            {
                options.PastDueGrace = TimeSpan.FromDays(days);
            }
            else
            {
                problems.Add(ConfigurationKeys.PastDueGraceDays, "must be a whole number of days from 0 to 60");
            }
        }
        if (Read(configuration, ConfigurationKeys.DefaultRegion) is { } region)
        {
            if (PhoneNormalizer.IsKnownRegion(region.ToUpperInvariant()))
            {
                options.DefaultRegion = region.ToUpperInvariant();
            }
            else
            {
                problems.Add(ConfigurationKeys.DefaultRegion, "must be a two-letter region code such as GB or US");
            }
        }
        var (listenSetting, urls) = ConfigurationSources.ListenSetting(configuration);
        if (!ConfigurationSources.AreListenUrls(urls))
        {
            problems.Add(listenSetting, "must be one or more listen addresses such as http://127.0.0.1:8000, separated by ';'");
        }
        if (Read(configuration, ConfigurationKeys.ReconcileMinutes) is { } minutes)
        {
            if (int.TryParse(minutes, out var count) && count >= 0)
            {
                options.ReconcileInterval = TimeSpan.FromMinutes(count);
            }
            else
            {
                problems.Add(ConfigurationKeys.ReconcileMinutes, "must be a whole number of minutes, 0 (off) or more");
            }
        }
        if (LoggingSetup.ReadFormat(Read(configuration, ConfigurationKeys.LogFormat)) is null)
        {
            problems.Add(ConfigurationKeys.LogFormat, "must be text or json");
        }
        if (Read(configuration, ConfigurationKeys.ProductName) is { } productName)
        {
            if (productName.Length <= ServerOptions.MaxProductNameLength && !productName.Any(char.IsControl))
            {
                options.ProductName = productName;
            }
            else
            {
                problems.Add(ConfigurationKeys.ProductName, $"must be at most {ServerOptions.MaxProductNameLength} characters, without control characters");
            }
        }
        return options;
    }

    private static bool TryHttpUri(string text, out Uri uri) =>
        Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out uri!)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void CopyStripe(StripeOptions from, StripeOptions to)
    {
        to.SecretKey = from.SecretKey;
        to.PaidPriceId = from.PaidPriceId;
        to.BillingMode = from.BillingMode;
        to.WebhookSecrets = from.WebhookSecrets;
        to.ApiBase = from.ApiBase;
    }

    private static void CopyServer(ServerOptions from, ServerOptions to)
    {
        to.PublicUrl = from.PublicUrl;
        to.McpToken = from.McpToken;
        to.McpStatefulSessions = from.McpStatefulSessions;
        to.FreeChapters = from.FreeChapters;
        to.PastDueGrace = from.PastDueGrace;
        to.DefaultRegion = from.DefaultRegion;
        to.ReconcileInterval = from.ReconcileInterval;
        to.ProductName = from.ProductName;
    }
}
