using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Tests.Postgres;

/// <summary>TUTORCLAW_DATABASE_URL: both forms, translated once in Hosting, validated at start.</summary>
public sealed class DatabaseUrlTests
{
    [Fact]
    public void A_postgres_url_becomes_a_connection_string_with_every_part_decoded()
    {
        var options = Translated("postgres://tutor%20one:fake%40pass%3Aword@db.example:6543/tutor%2Dclaw?sslmode=require&Application%20Name=tc");

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("tutor one", builder.Username);
        Assert.Equal("fake@pass:word", builder.Password);
        Assert.Equal("tutor-claw", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("tc", builder.ApplicationName);
        Assert.Equal("db.example/tutor-claw", options.Location);
    }

    [Theory]
    [InlineData("postgresql://tutor@127.0.0.1/tutorclaw", "127.0.0.1", 5432, "127.0.0.1/tutorclaw")]
    [InlineData("postgres://tutor:fake_pw@[::1]:5433/db", "::1", 5433, "::1/db")]
    [InlineData("postgres://tutor:fake_pw@localhost", "localhost", 5432, "localhost/tutor")]
    public void Missing_url_parts_take_postgresql_defaults(string url, string host, int port, string location)
    {
        var options = Translated(url);

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(location, options.Location);
    }

    [Fact]
    public void An_npgsql_connection_string_is_taken_as_it_is()
    {
        var options = Translated("Host=db.internal;Port=5544;Username=tutor;Password=fake_secret;Database=tutorclaw;Maximum Pool Size=20");

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(5544, builder.Port);
        Assert.Equal("fake_secret", builder.Password);
        Assert.Equal(20, builder.MaxPoolSize);
        Assert.Equal("db.internal/tutorclaw", options.Location);
        Assert.DoesNotContain("fake_secret", options.Location);
    }

    [Fact]
    public void Unset_means_the_file_store()
    {
        using var services = Services(new() { [ConfigurationKeys.DatabaseUrl] = " " });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.False(services.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured);
    }

    [Theory]
    [InlineData("not a url at all fake_pw")]
    [InlineData("http://tutor:fake_pw@db/tutorclaw")]
    [InlineData("postgres://tutor:fake_pw@/tutorclaw")]
    [InlineData("postgres://tutor:fake_pw@db/tutorclaw?nonsense_fake=1")]
    [InlineData("postgres://tutor:fake_pw@db/tutorclaw?sslmode")]
    [InlineData("Database=tutorclaw;Password=fake_pw")]
    [InlineData("Hots=db;Password=fake_pw")]
    [InlineData("Host=db;Port=many;Password=fake_pw")]
    public void A_malformed_database_url_stops_startup_naming_the_variable_never_its_value(string value)
    {
        using var services = Services(new() { [ConfigurationKeys.DatabaseUrl] = value });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(e.Failures);
        Assert.StartsWith(ConfigurationKeys.DatabaseUrl, failure);
        Assert.DoesNotContain("fake_pw", e.Message);
        Assert.DoesNotContain(value, e.Message);
    }

    private static PostgresOptions Translated(string value)
    {
        using var services = Services(new() { [ConfigurationKeys.DatabaseUrl] = value });
        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<PostgresOptions>>().Value;
        Assert.True(options.IsConfigured);
        return options;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTutorClawOptions();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
