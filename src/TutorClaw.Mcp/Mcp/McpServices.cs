using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Mcp;

public static class McpServices
{
    public const string ServerName = "tutorclaw";

    /// <summary>
    /// The MCP server behind /mcp (one per request, or per session when stateful) and, given
    /// <paramref name="stdio"/>, the hand-off to the stdio session that is already answering. Both
    /// doors serve the same server description and tool set (<see cref="AddTutorClawServer"/>); with
    /// a stdio session, /mcp serves the session's own tool objects, so each is built once.
    /// </summary>
    public static IServiceCollection AddTutorClawMcp(this IServiceCollection services, StdioSession? stdio)
    {
        services.AddTutorClawServer(stdio?.Tools).WithHttpTransport();
        if (stdio is not null)
        {
            services.AddSingleton(stdio);
            // The hand-off first, then the gate: tool calls on stdio are served once the hosted
            // services registered before them have started; everything registered later (the
            // telemetry, the startup report, the HTTP door) waits for the first tools/list.
            services.AddHostedService<StdioSessionHandOff>();
            services.AddSingleton(stdio.Gate);
            services.AddHostedService(sp => sp.GetRequiredService<StdioFirst>());
        }
        // After StdioFirst: the SDK's tools are built once the first tools/list is answered.
        services.AddHostedService<ToolPreparation>();
        services.AddOptions<HttpServerTransportOptions>()
            .Configure<IOptions<ServerOptions>>((http, server) => ConfigureSessions(http, server.Value.McpStatefulSessions));
        services.AddMcpAccess();
        return services;
    }

    /// <summary>
    /// What either door serves: the server's name and instructions, the tools (<see cref="TypedTools"/>,
    /// or <paramref name="tools"/> made by an earlier call) and their call filters. The SDK copies the
    /// DI-registered tools into McpServerOptions.
    /// </summary>
    public static IMcpServerBuilder AddTutorClawServer(this IServiceCollection services, IEnumerable<McpServerTool>? tools = null)
    {
        var builder = services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = ServerName,
                    Title = "TutorClaw",
                    Version = typeof(McpServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0",
                };
                options.ServerInstructions =
                    "TutorClaw keeps each learner's tier (free or paid) and sells the paid tier through Stripe. " +
                    "Call register_learner once per learner (the same phone number always gives the same learner_id), then check_chapter_access before every chapter. " +
                    "When access is refused, call get_upgrade_url and send the learner its url: that link is theirs for good and always opens a working payment page. " +
                    "The tier changes by itself when the payment arrives; get_learner_tier tells you where a learner stands and gives a sentence you can relay. " +
                    "When a tool answers with an error, pass its one sentence on to the learner as it is.";
            });
        return (tools is null
                ? builder.WithTypedTools<LearnerTools>().WithTypedTools<UpgradeTools>().WithTypedTools<BillingPortalTools>()
                : builder.WithTools(tools))
            .WithToolCallFilters();
    }

    /// <summary>
    /// Stateless by default: any replica can answer any request, no session to lose. Stateful
    /// (TUTORCLAW_MCP_STATEFUL) is for clients that need server-to-client requests; only there do
    /// sessions, DELETE and <see cref="McpEndpoints.IdleTimeout"/> exist.
    /// </summary>
    internal static void ConfigureSessions(HttpServerTransportOptions http, bool stateful)
    {
        if (!stateful)
        {
            http.SessionMode = HttpServerSessionMode.Stateless;
            return;
        }
        http.SessionMode = HttpServerSessionMode.Stateful;
        // MCP9006 marks IdleTimeout (a stateful-only setting) obsolete because the 2026-07-28
        // revision drops sessions. Stateful mode is still what 2025-11-25 clients need for
        // server-to-client requests, it is on only when the operator asks for it, and there its
        // sessions must still end when idle.
#pragma warning disable MCP9006
        http.IdleTimeout = McpEndpoints.IdleTimeout;
#pragma warning restore MCP9006
    }

    /// <summary>The bearer scheme, the access policy and its answers for /mcp (<see cref="McpAccessHandler"/>).</summary>
    private static IServiceCollection AddMcpAccess(this IServiceCollection services)
    {
        // AddAuthentication() would also register Data Protection, whose hosted service builds a key
        // ring at every start (OpenSSL set-up, a new key as XML: ~9 MiB of code mapped and tens of ms)
        // that nothing here uses (no cookies, no protected payloads): the core services, the encoders
        // and our scheme suffice.
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, McpTokenAuthenticationHandler>(McpTokenAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(McpAccessHandler.PolicyName, policy => policy
                .AddAuthenticationSchemes(McpTokenAuthenticationHandler.SchemeName)
                .AddRequirements(new McpAccessRequirement()));
        services.AddSingleton<IAuthorizationHandler, McpAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, McpAccessResultHandler>();
        return services;
    }
}
