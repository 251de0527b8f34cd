using ModelContextProtocol.Server;
using TutorClaw.Mcp.Mcp;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Builds the SDK's tools behind the <see cref="DescribedTool"/>s (those of /mcp and, in --stdio
/// mode, the stdio session's own) on a pool thread once the host starts it: registered after
/// <c>StdioFirst</c>, so in --stdio mode after the first <c>tools/list</c> has been answered. A call
/// that comes sooner builds (or waits for) its own tool.
/// </summary>
public sealed class ToolPreparation(IEnumerable<McpServerTool> tools, StdioSession? stdio = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var described = (stdio?.Tools ?? []).Concat(tools).OfType<DescribedTool>().ToList();
        _ = Task.Run(() => described.ForEach(tool => tool.Prepare()), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
