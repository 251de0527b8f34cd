using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Hosting;

/// <summary>Tests that change the process's working directory or environment run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    public const string Name = "Process-wide state";
}

/// <summary>SPEC §2's order, through the real sources in a temporary working directory.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class ConfigurationPrecedenceTests : IDisposable
{
    private const string Key = ConfigurationKeys.FreeChapters;
    private readonly TempDirectory _workingDirectory = new();
    private readonly string? _previousValue = Environment.GetEnvironmentVariable(Key);

    public ConfigurationPrecedenceTests()
    {
        Environment.SetEnvironmentVariable(Key, null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Key, _previousValue);
        _workingDirectory.Dispose();
    }

    [Fact]
    public void Appsettings_in_the_working_directory_supplies_a_value()
    {
        WriteAppsettings("7");

        Assert.Equal(7, FreeChapters(Build()));
    }

    [Fact]
    public void Dotenv_beats_appsettings()
    {
        WriteAppsettings("7");
        WriteDotEnv($"{Key}=8");

        Assert.Equal(8, FreeChapters(Build()));
    }

    [Fact]
    public void Environment_beats_dotenv()
    {
        WriteAppsettings("7");
        WriteDotEnv($"{Key}=8");
        Environment.SetEnvironmentVariable(Key, "9");

        Assert.Equal(9, FreeChapters(Build()));
    }

    [Fact]
    public void Command_line_beats_environment()
    {
        WriteAppsettings("7");
        WriteDotEnv($"{Key}=8");
        Environment.SetEnvironmentVariable(Key, "9");

        Assert.Equal(10, FreeChapters(Build($"--{Key}=10")));
    }

    [Fact]
    public void An_empty_dotenv_value_counts_as_unset_and_leaves_appsettings_in_force()
    {
        WriteAppsettings("7");
        WriteDotEnv($"{Key}=");

        Assert.Equal(7, FreeChapters(Build()));
    }

    [Fact]
    public void An_empty_command_line_value_counts_as_unset_and_leaves_the_environment_in_force()
    {
        WriteDotEnv($"{Key}=8");
        Environment.SetEnvironmentVariable(Key, "9");

        Assert.Equal(9, FreeChapters(Build($"--{Key}=")));
    }

    [Fact]
    public void Nothing_set_anywhere_gives_the_default()
    {
        Assert.Equal(5, FreeChapters(Build()));
    }

    [Fact]
    public void Dotenv_is_read_into_configuration_but_not_into_the_process_environment()
    {
        WriteDotEnv($"{Key}=8");

        var configuration = Build();

        Assert.Equal("8", configuration[Key]);
        Assert.Null(Environment.GetEnvironmentVariable(Key));
    }

    [Fact]
    public void Dotenv_supplies_stripe_settings()
    {
        WriteDotEnv(
            $"{ConfigurationKeys.StripeSecretKey}=sk_test_from_dotenv",
            $"{ConfigurationKeys.StripePriceIdPaid}=price_from_dotenv",
            $"{ConfigurationKeys.StripeWebhookSecret}=whsec_one, whsec_two");

        var stripe = SettingsTranslation.TranslatedSettings.From(Build()).Stripe;

        Assert.Equal(StripeMode.Test, stripe.Mode);
        Assert.Equal("price_from_dotenv", stripe.PaidPriceId);
        Assert.Equal(["whsec_one", "whsec_two"], stripe.WebhookSecrets);
    }

    private void WriteAppsettings(string freeChapters) =>
        File.WriteAllText(_workingDirectory.Combine("appsettings.json"), $$"""{ "{{Key}}": "{{freeChapters}}" }""");

    private void WriteDotEnv(params string[] lines) =>
        File.WriteAllLines(_workingDirectory.Combine(".env"), lines);

    private ConfigurationManager Build(params string[] args)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_workingDirectory.Path);
        try
        {
            var configuration = new ConfigurationManager();
            configuration.AddTutorClawConfiguration(args);
            return configuration;
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static int FreeChapters(IConfiguration configuration)
    {
        var settings = SettingsTranslation.TranslatedSettings.From(configuration);
        Assert.Empty(settings.Problems.All);
        return settings.Server.FreeChapters;
    }
}

/// <summary>Translation and validation of SPEC §2's variables, on in-memory configuration.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData(ConfigurationKeys.StripeSecretKey, "pk_test_51FakePublishableKey")]
    [InlineData(ConfigurationKeys.StripeSecretKey, "pk_live_51FakePublishableKey")]
    [InlineData(ConfigurationKeys.StripeSecretKey, "garbage-secret-value")]
    [InlineData(ConfigurationKeys.StripeSecretKey, "sk_wrong_51FakeKey")]
    [InlineData(ConfigurationKeys.StripePriceIdPaid, "prod_FakeProduct123")]
    [InlineData(ConfigurationKeys.StripePriceIdPaid, "garbage-price")]
    [InlineData(ConfigurationKeys.StripeWebhookSecret, "abc")]
    [InlineData(ConfigurationKeys.StripeWebhookSecret, "whsec_ok,bad")]
    [InlineData(ConfigurationKeys.StripeApiBase, "not-a-url")]
    [InlineData(ConfigurationKeys.StripeApiBase, "ftp://stripe.example")]
    [InlineData(ConfigurationKeys.PublicUrl, "ftp://x")]
    [InlineData(ConfigurationKeys.PublicUrl, "localhost:8000")]
    [InlineData(ConfigurationKeys.FreeChapters, "five")]
    [InlineData(ConfigurationKeys.FreeChapters, "-1")]
    [InlineData(ConfigurationKeys.FreeChapters, "2.5")]
    [InlineData(ConfigurationKeys.ReconcileMinutes, "x")]
    [InlineData(ConfigurationKeys.ReconcileMinutes, "-5")]
    [InlineData(ConfigurationKeys.McpStateful, "yes")]
    [InlineData(ConfigurationKeys.Urls, "notaurl")]
    [InlineData(ConfigurationKeys.Urls, "ftp://127.0.0.1:8000")]
    [InlineData(ConfigurationKeys.Urls, "http://127.0.0.1:99999")]
    [InlineData(ConfigurationKeys.Urls, "http://127.0.0.1:8000;nonsense")]
    [InlineData("ASPNETCORE_URLS", "notaurl")]
    [InlineData(ConfigurationKeys.DefaultRegion, "Narnia")]
    [InlineData(ConfigurationKeys.DefaultRegion, "UK")]
    [InlineData(ConfigurationKeys.StoreCommit, "fsync-less")]
    [InlineData(ConfigurationKeys.ProductName, "Tutor\u0007Claw")]
    [InlineData(ConfigurationKeys.ProductName, "An academy name far too long for the heading of a phone page!")]
    public void A_malformed_variable_stops_startup_naming_it_without_its_value(string variable, string value)
    {
        using var services = Services(new() { [variable] = value });

        var e = Assert.Throws<OptionsValidationException>(() => ValidateAsAtStartup(services));

        Assert.Contains(variable, e.Message);
        Assert.DoesNotContain(value, e.Message);
        Assert.All(e.Failures, failure => Assert.StartsWith(variable, failure));
    }

    [Fact]
    public void A_rotating_webhook_secret_list_does_not_echo_any_of_its_parts()
    {
        using var services = Services(new() { [ConfigurationKeys.StripeWebhookSecret] = "whsec_current123,whsec_previous456,oops789" });

        var e = Assert.Throws<OptionsValidationException>(() => ValidateAsAtStartup(services));

        Assert.Contains(ConfigurationKeys.StripeWebhookSecret, e.Message);
        Assert.DoesNotContain("current123", e.Message);
        Assert.DoesNotContain("previous456", e.Message);
        Assert.DoesNotContain("oops789", e.Message);
    }

    [Fact]
    public void A_bare_whsec_prefix_is_not_a_webhook_secret()
    {
        using var services = Services(new() { [ConfigurationKeys.StripeWebhookSecret] = "whsec_" });

        var e = Assert.Throws<OptionsValidationException>(() => ValidateAsAtStartup(services));

        Assert.StartsWith(ConfigurationKeys.StripeWebhookSecret, Assert.Single(e.Failures));
    }

    [Fact]
    public void Every_malformed_variable_is_named_at_once()
    {
        using var services = Services(new()
        {
            [ConfigurationKeys.StripeSecretKey] = "pk_test_fake",
            [ConfigurationKeys.StripePriceIdPaid] = "prod_fake",
            [ConfigurationKeys.FreeChapters] = "five",
        });

        var e = Assert.Throws<AggregateException>(() => ValidateAsAtStartup(services));

        var message = string.Join(" ", e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures));
        Assert.Contains(ConfigurationKeys.StripeSecretKey, message);
        Assert.Contains(ConfigurationKeys.StripePriceIdPaid, message);
        Assert.Contains(ConfigurationKeys.FreeChapters, message);
    }

    [Fact]
    public void Resolving_stripe_options_with_a_malformed_key_throws()
    {
        using var services = Services(new() { [ConfigurationKeys.StripeSecretKey] = "pk_test_fake" });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Contains(ConfigurationKeys.StripeSecretKey, e.Message);
        Assert.DoesNotContain("pk_test_fake", e.Message);
    }

    [Theory]
    [InlineData("sk_test_51FakeSecret", StripeMode.Test)]
    [InlineData("sk_live_51FakeSecret", StripeMode.Live)]
    [InlineData("rk_test_51FakeRestricted", StripeMode.Test)]
    [InlineData("rk_live_51FakeRestricted", StripeMode.Live)]
    public void Secret_and_restricted_keys_are_accepted_and_set_the_mode(string key, StripeMode mode)
    {
        using var services = Services(new()
        {
            [ConfigurationKeys.StripeSecretKey] = key,
            [ConfigurationKeys.StripePriceIdPaid] = "price_fake",
            [ConfigurationKeys.StripeWebhookSecret] = "whsec_fake",
        });

        ValidateAsAtStartup(services);
        var stripe = services.GetRequiredService<IOptions<StripeOptions>>().Value;

        Assert.Equal(mode, stripe.Mode);
        Assert.Equal(key, stripe.SecretKey);
        Assert.True(stripe.IsConfigured);
        Assert.True(stripe.CanVerifyWebhooks);
    }

    [Theory]
    [InlineData(StripeMode.Test, "test")]
    [InlineData(StripeMode.Live, "live")]
    [InlineData(StripeMode.NotConfigured, "not configured")]
    public void Stripe_modes_are_described_in_the_words_of_the_spec(StripeMode mode, string words)
    {
        Assert.Equal(words, mode.Describe());
    }

    [Fact]
    public void Without_stripe_settings_stripe_is_not_configured_and_startup_goes_ahead()
    {
        using var services = Services(new());

        ValidateAsAtStartup(services);
        var stripe = services.GetRequiredService<IOptions<StripeOptions>>().Value;

        Assert.Equal(StripeMode.NotConfigured, stripe.Mode);
        Assert.False(stripe.IsConfigured);
        Assert.False(stripe.CanVerifyWebhooks);
        Assert.Equal(new Uri("https://api.stripe.com"), stripe.ApiBase);
    }

    [Fact]
    public void A_secret_key_without_a_price_is_not_configured()
    {
        using var services = Services(new() { [ConfigurationKeys.StripeSecretKey] = "sk_test_fake" });

        ValidateAsAtStartup(services);

        Assert.Equal(StripeMode.NotConfigured, services.GetRequiredService<IOptions<StripeOptions>>().Value.Mode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_values_count_as_unset(string empty)
    {
        using var services = Services(new()
        {
            [ConfigurationKeys.StripeSecretKey] = empty,
            [ConfigurationKeys.StripePriceIdPaid] = empty,
            [ConfigurationKeys.StripeWebhookSecret] = empty,
            [ConfigurationKeys.StripeApiBase] = empty,
            [ConfigurationKeys.PublicUrl] = empty,
            [ConfigurationKeys.FreeChapters] = empty,
            [ConfigurationKeys.ReconcileMinutes] = empty,
            [ConfigurationKeys.McpToken] = empty,
            [ConfigurationKeys.McpStateful] = empty,
            [ConfigurationKeys.ProductName] = empty,
        });

        ValidateAsAtStartup(services);
        var stripe = services.GetRequiredService<IOptions<StripeOptions>>().Value;
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;

        Assert.Equal(StripeMode.NotConfigured, stripe.Mode);
        Assert.Null(stripe.SecretKey);
        Assert.Empty(stripe.WebhookSecrets);
        Assert.Equal(new Uri("https://api.stripe.com"), stripe.ApiBase);
        Assert.Equal(new Uri("http://localhost:8000"), server.PublicUrl);
        Assert.Equal(5, server.FreeChapters);
        Assert.Equal(TimeSpan.FromMinutes(15), server.ReconcileInterval);
        Assert.Null(server.McpToken);
        Assert.False(server.McpStatefulSessions);
        Assert.Equal("TutorClaw", server.ProductName);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    public void TUTORCLAW_MCP_STATEFUL_turns_stateful_sessions_on(string value, bool stateful)
    {
        using var services = Services(new() { [ConfigurationKeys.McpStateful] = value });

        ValidateAsAtStartup(services);

        Assert.Equal(stateful, services.GetRequiredService<IOptions<ServerOptions>>().Value.McpStatefulSessions);
    }

    [Fact]
    public void An_empty_value_in_a_higher_source_leaves_the_lower_source_in_force()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ConfigurationKeys.FreeChapters] = "7", [ConfigurationKeys.StripeSecretKey] = "sk_test_lower" })
            .AddInMemoryCollection(new Dictionary<string, string?> { [ConfigurationKeys.FreeChapters] = "", [ConfigurationKeys.StripeSecretKey] = " " })
            .Build();

        var settings = SettingsTranslation.TranslatedSettings.From(configuration);

        Assert.Equal(7, settings.Server.FreeChapters);
        Assert.Equal("sk_test_lower", settings.Stripe.SecretKey);
    }

    [Fact]
    public void Valid_values_are_translated()
    {
        using var services = Services(new()
        {
            [ConfigurationKeys.StripeApiBase] = "http://127.0.0.1:12111/",
            [ConfigurationKeys.PublicUrl] = "https://tutor.example/",
            [ConfigurationKeys.FreeChapters] = " 3 ",
            [ConfigurationKeys.ReconcileMinutes] = "0",
            [ConfigurationKeys.McpToken] = "token-123",
            [ConfigurationKeys.StripeWebhookSecret] = "whsec_a, whsec_b,",
            [ConfigurationKeys.ProductName] = " Claw Academy ",
        });

        ValidateAsAtStartup(services);
        var stripe = services.GetRequiredService<IOptions<StripeOptions>>().Value;
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;

        Assert.Equal(new Uri("http://127.0.0.1:12111"), stripe.ApiBase);
        Assert.Equal(["whsec_a", "whsec_b"], stripe.WebhookSecrets);
        Assert.Equal(new Uri("https://tutor.example"), server.PublicUrl);
        Assert.Equal(3, server.FreeChapters);
        Assert.Equal(TimeSpan.Zero, server.ReconcileInterval);
        Assert.Equal("token-123", server.McpToken);
        Assert.Equal("Claw Academy", server.ProductName);
    }

    [Fact]
    public void The_data_directory_is_made_absolute()
    {
        using var services = Services(new() { [ConfigurationKeys.DataDir] = "some/relative/dir" });

        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.True(Path.IsPathFullyQualified(storage.DataDirectory));
        Assert.EndsWith(Path.Combine("some", "relative", "dir"), storage.DataDirectory);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001", null, null, "http://127.0.0.1:9001")]
    [InlineData(null, "http://127.0.0.1:9002", "http://127.0.0.1:9003", "http://127.0.0.1:9002")]
    [InlineData(null, null, "http://127.0.0.1:9003", "http://127.0.0.1:9003")]
    [InlineData(null, "", "http://127.0.0.1:9003", "http://127.0.0.1:9003")]
    [InlineData(null, null, null, ServerOptions.DefaultUrls)]
    public void The_listen_address_is_the_first_of_urls_tutorclaw_urls_aspnetcore_urls_default(string? urls, string? tutorclaw, string? aspnetcore, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = urls,
                [ConfigurationKeys.Urls] = tutorclaw,
                ["ASPNETCORE_URLS"] = aspnetcore,
            })
            .Build();

        Assert.Equal(expected, ConfigurationSources.ListenUrls(configuration));
    }

    [Fact]
    public void A_malformed_urls_argument_is_named_as_the_argument()
    {
        using var services = Services(new() { ["urls"] = "notaurl" });

        var e = Assert.Throws<OptionsValidationException>(() => ValidateAsAtStartup(services));

        Assert.StartsWith("--urls ", Assert.Single(e.Failures));
        Assert.DoesNotContain("notaurl", e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:8000")]
    [InlineData("http://*:8000;http://[::1]:8001")]
    [InlineData("https://0.0.0.0:8443")]
    public void Listen_addresses_kestrel_accepts_pass_validation(string urls)
    {
        using var services = Services(new() { [ConfigurationKeys.Urls] = urls });

        ValidateAsAtStartup(services);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTutorClawOptions();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>What the host runs before anything starts: every ValidateOnStart registration.</summary>
    private static void ValidateAsAtStartup(IServiceProvider services) =>
        services.GetRequiredService<IStartupValidator>().Validate();
}
