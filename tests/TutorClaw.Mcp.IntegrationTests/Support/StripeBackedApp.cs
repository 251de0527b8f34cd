using Microsoft.Extensions.DependencyInjection;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>The server wired to an in-process fake Stripe on 127.0.0.1, sharing the app's clock,
/// with a short per-attempt timeout so failure cases run fast. Stripe.net's retry back-off (0.5 s,
/// then 0.75–1 s) is real: the library offers no public switch for it.</summary>
public sealed class StripeBackedApp : IAsyncDisposable
{
    private StripeBackedApp(TutorClawApp app, FakeStripeServer stripe)
    {
        App = app;
        Stripe = stripe;
    }

    public TutorClawApp App { get; }

    public FakeStripeServer Stripe { get; }

    public static async Task<StripeBackedApp> StartAsync(string? secretKey = null, Action<TutorClawApp>? configure = null)
    {
        var stripe = await FakeStripeServer.StartAsync(TutorClawApp.SecretKey, TutorClawApp.PriceId);
        var app = new TutorClawApp();
        stripe.Now = app.Clock.GetUtcNow;
        app.Settings["STRIPE_API_BASE"] = stripe.BaseUrl.ToString();
        if (secretKey is not null)
        {
            app.Settings["STRIPE_SECRET_KEY"] = secretKey;
        }
        app.ConfigureTestServices = services => services.PostConfigure<StripeOptions>(o =>
        {
            // Long enough for a busy two-core CI machine; the hang test pays it three times.
            o.RequestTimeout = TimeSpan.FromSeconds(2);
        });
        configure?.Invoke(app);
        return new StripeBackedApp(app, stripe);
    }

    public async Task<LearnerId> AddLearnerAsync(string id = "learner_demo")
    {
        var learnerId = LearnerId.Parse(id);
        Assert.True(await App.Learners.TryCreateAsync(Learner.CreateFree(learnerId, "Zoë", App.Clock.GetUtcNow()), default));
        return learnerId;
    }

    public byte[] DocumentBytes(LearnerId id) => File.ReadAllBytes(Path.Combine(App.DataDirectory, "learners", id.Value + ".json"));

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Stripe.DisposeAsync();
    }
}
