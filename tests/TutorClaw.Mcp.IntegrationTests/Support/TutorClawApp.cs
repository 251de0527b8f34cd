using TutorClaw.Mcp.TestSupport;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// The real server in-process, on its own temporary data directory, with obviously fake Stripe
/// settings. Give each test its own instance where disk state matters. Settings can be changed
/// (or removed with null) before the first request or <see cref="Services"/> access.
/// </summary>
public sealed class TutorClawApp : WebApplicationFactory<Program>
{
    public const string WebhookSecret = "whsec_fake_integration_tests_0001";
    public const string SecretKey = "sk_test_fake_integration_tests_0001";
    public const string PriceId = "price_fake_paid_tier_0001";

    public TutorClawApp()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Settings = new Dictionary<string, string?>
        {
            ["STRIPE_SECRET_KEY"] = SecretKey,
            ["STRIPE_PRICE_ID_PAID"] = PriceId,
            ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
            // Nothing in a test may reach the real Stripe: unless a test points this at a fake,
            // calls go to a closed loopback port and fail fast.
            ["STRIPE_API_BASE"] = "http://127.0.0.1:9",
            ["TUTORCLAW_DATA_DIR"] = DataDirectory,
            ["TUTORCLAW_PUBLIC_URL"] = "http://localhost:8000",
            ["TUTORCLAW_RECONCILE_MINUTES"] = "0",
        };
    }

    public string DataDirectory { get; }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>The clock the server sees; starts at a fixed instant and moves only when told.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_795_168_800));

    /// <summary>The peer address every in-process request appears to come from; loopback unless a test says otherwise.</summary>
    public IPAddress? RemoteIpAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Extra service replacements (a fake Stripe API, say).</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    public ILearnerRepository Learners => Services.GetRequiredService<ILearnerRepository>();

    /// <summary>Serves the app on a real socket on a free loopback port, for clients that cannot use
    /// the in-memory one (a browser). Call before the first request or <see cref="Services"/> access.</summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return new Uri(Assert.Single(addresses.Addresses));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Settings));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(() => RemoteIpAddress));
            ConfigureTestServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
