using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// A tool that answers <c>tools/list</c> from its stored description (<see cref="ToolCatalog"/>) and
/// runs as the SDK's own reflection-made tool, built the first time it is needed (<see cref="Prepare"/>,
/// or the first call). Building the SDK's tools (JSON schemas by reflection, ~80 ms of a cold start
/// here) is then no longer ahead of the stdio door's first answer; what the client sees is the same,
/// which a test checks against the reflection-made description.
/// </summary>
public sealed class DescribedTool(Tool description, IReadOnlyList<object> metadata, Func<McpServerTool> build) : McpServerTool
{
    // Thread-safe: a call that arrives while ToolPreparation builds the tool waits for that build.
    private readonly Lazy<McpServerTool> _built = new(build);

    public override Tool ProtocolTool => description;

    public override IReadOnlyList<object> Metadata => metadata;

    /// <summary>The SDK's tool that runs the calls.</summary>
    public McpServerTool Built => _built.Value;

    public void Prepare() => _ = _built.Value;

    public override ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        _built.Value.InvokeAsync(request, cancellationToken);

    public override string ToString() => description.Name;
}
