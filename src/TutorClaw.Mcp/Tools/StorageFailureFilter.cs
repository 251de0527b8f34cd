using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// The tool edge for storage trouble (SPEC §4: a failure is one sentence the agent can relay). A
/// full or read-only disk, or a learner document that cannot be read, surfaces from the
/// repository as an exception; without this the SDK would answer its generic "An error occurred
/// invoking …", which tells the agent nothing. One filter covers every tool on both doors.
/// </summary>
public static partial class StorageFailureFilter
{
    public static IMcpServerBuilder WithStorageFailureAnswers(this IMcpServerBuilder builder) =>
        builder.WithRequestFilters(filters => filters.AddCallToolFilter(next => async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(StorageFailureFilter).FullName!);
                if (logger is not null)
                {
                    LogStorageFailure(logger, context.Params?.Name ?? "(unknown)", e.GetType().Name, e.Message);
                }
                return ToolResults.StorageUnavailable();
            }
        }));

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed on storage ({Error}: {Reason}); answered with a storage error")]
    private static partial void LogStorageFailure(ILogger logger, string tool, string error, string reason);
}
