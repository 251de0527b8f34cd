using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// The tool edge (SPEC §4: a failure is one sentence the agent can relay), for every tool on both
/// doors. Without these the SDK answers its generic "An error occurred invoking …", which tells
/// the agent nothing:
/// <list type="bullet">
/// <item>arguments that do not fit the tool's input schema are refused by name (<see cref="ToolArguments"/>);</item>
/// <item>a full or read-only disk, or a learner document that cannot be read, surfaces from the
/// repository as an exception; it becomes <see cref="ToolResults.StorageUnavailable"/> and an error log line.</item>
/// </list>
/// </summary>
public static partial class ToolCallFilters
{
    public static IMcpServerBuilder WithToolCallFilters(this IMcpServerBuilder builder) =>
        builder.WithRequestFilters(filters => filters.AddCallToolFilter(next => async (context, cancellationToken) =>
        {
            if (FindTool(context) is { } tool
                && ToolArguments.Problem(tool.ProtocolTool.InputSchema, context.Params?.Arguments?.AsReadOnly()) is { } problem)
            {
                return ToolResults.Failure(problem);
            }
            try
            {
                return await next(context, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ToolCallFilters).FullName!);
                if (logger is not null)
                {
                    LogStorageFailure(logger, context.Params?.Name ?? "(none)", e.GetType().Name, e.Message);
                }
                return ToolResults.StorageUnavailable();
            }
        }));

    private static McpServerTool? FindTool(RequestContext<CallToolRequestParams> context)
    {
        if (context.MatchedPrimitive is McpServerTool matched)
        {
            return matched;
        }
        return context.Params?.Name is { } name && context.Server.ServerOptions.ToolCollection?.TryGetPrimitive(name, out var tool) == true
            ? tool
            : null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed on storage ({Error}: {Reason}); answered with a storage error")]
    private static partial void LogStorageFailure(ILogger logger, string tool, string error, string reason);
}
