using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Hosting;

/// <summary>States the mode once at startup (SPEC §2): Stripe mode, webhook readiness, where data lives. Never a secret.</summary>
public sealed partial class StartupReport(
    IOptions<StripeOptions> stripe,
    IOptions<ServerOptions> server,
    IServiceProvider services,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: the store may still be opening (StoreOpening), and
        // in --stdio mode this report comes after the first tools/list; before the HTTP door opens, it
        // waits for the store, so a store that cannot open stops the start as before.
        var repository = services.GetRequiredService<ILearnerRepository>();
        var mode = stripe.Value.Mode switch
        {
            StripeMode.Live => "LIVE mode",
            StripeMode.Test => "test mode",
            _ => "not configured (set STRIPE_SECRET_KEY and STRIPE_PRICE_ID_PAID)",
        };
        LogStripeMode(mode);
        if (!stripe.Value.CanVerifyWebhooks)
        {
            LogNoWebhookSecret();
        }
        LogRepository(repository.Kind, repository.Location);
        LogMcpGuard(server.Value.McpStatefulSessions ? "stateful sessions" : "stateless", server.Value.McpToken is null
            ? "TUTORCLAW_MCP_TOKEN unset, so only loopback clients with a loopback Host and no Forwarded/X-Forwarded-* headers are served"
            : "bearer token required (TUTORCLAW_MCP_TOKEN set); TUTORCLAW_PUBLIC_URL's host and origin are accepted");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe: {Mode}")]
    private partial void LogStripeMode(string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STRIPE_WEBHOOK_SECRET is not set: POST /webhook answers 503 until it is")]
    private partial void LogNoWebhookSecret();

    [LoggerMessage(Level = LogLevel.Information, Message = "Learners: {Kind} repository at {Location}")]
    private partial void LogRepository(string kind, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "/mcp ({Sessions}): {Guard}")]
    private partial void LogMcpGuard(string sessions, string guard);
}
