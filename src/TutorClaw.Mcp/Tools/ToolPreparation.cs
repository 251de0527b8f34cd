using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Builds the SDK's tools behind the <see cref="DescribedTool"/>s (in --stdio mode the stdio
/// session's, which /mcp shares) on a pool thread once the host starts it: registered after
/// <c>StdioFirst</c>, so in --stdio mode after the first <c>tools/list</c> has been answered. A call
/// that comes sooner builds (or waits for) its own tool.
/// </summary>
public sealed class ToolPreparation(IEnumerable<McpServerTool> tools) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var described = tools.OfType<DescribedTool>().ToList();
        _ = Task.Run(() => described.ForEach(tool => tool.Prepare()), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
