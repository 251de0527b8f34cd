using System.Reflection;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Mcp;

public static class McpServices
{
    public const string ServerName = "tutorclaw";

    /// <summary>
    /// One tool set for both doors: the SDK copies these DI-registered tools into McpServerOptions,
    /// which the stdio server and every /mcp session server are built from.
    /// </summary>
    public static IServiceCollection AddTutorClawMcp(this IServiceCollection services, bool stdio)
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
                    "TutorClaw's learner and billing tools. Register a learner once, check chapter access before each chapter, " +
                    "and when access is refused send the link from get_upgrade_url. Payments reach the learner's tier by themselves.";
            })
            .WithTools<LearnerTools>()
            .WithTools<UpgradeTools>()
            .WithToolCallFilters();
        if (stdio)
        {
            builder.WithStdioServerTransport();
        }
        services.AddMcpHttp();
        return services;
    }
}
