using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// The stdio door (--stdio), opened before the web host is composed: an MCP client that spawns the
/// server gets its <c>initialize</c> and <c>tools/list</c> answered while the rest of the server is
/// still being built on the main thread. It is the SDK's own server over the SDK's stdio transport,
/// made from a small container that holds only what the answers need: the server description and
/// the tools (<see cref="McpServices.AddTutorClawServer"/>, the same registration as /mcp). Its
/// requests see the composed server's services, handed over by <see cref="StdioSessionHandOff"/>
/// once the host has started; a tool call that comes before waits for that, so no call is served
/// by a half-started server (nor from a store that has not been recovered). Logging starts then too.
/// </summary>
public sealed class StdioSession : IAsyncDisposable
{
    private readonly ServiceProvider _own;
    private readonly McpServer _server;
    private readonly ComposedServices _composed = new();
    private readonly CancellationTokenSource _stopping = new();

    private StdioSession(Func<McpServerOptions, ILoggerFactory, ITransport> transport, TimeProvider clock)
    {
        Gate = new StdioFirst(clock);
        var services = new ServiceCollection();
        services.AddTutorClawServer().WithRequestFilters(filters =>
        {
            filters.AddListToolsFilter(next => async (context, cancellationToken) =>
            {
                var tools = await next(context, cancellationToken);
                Gate.OnToolsListed();
                return tools;
            });
            filters.AddCallToolFilter(next => async (context, cancellationToken) =>
            {
                await _composed.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
                return await next(context, cancellationToken);
            });
        });
        _own = services.BuildServiceProvider();
        var options = _own.GetRequiredService<IOptions<McpServerOptions>>().Value;
        // No scope per request: until the hand-off there is no container to make one from, and the
        // tools need nothing scoped.
        options.ScopeRequests = false;
        Tools = [.. options.ToolCollection ?? []];
        _server = McpServer.Create(transport(options, _composed.Loggers), options, _composed.Loggers, _composed);
        Completion = _server.RunAsync(_stopping.Token);
    }

    /// <summary>Completes when the tools have first been listed (the HTTP door waits for it).</summary>
    public StdioFirst Gate { get; }

    /// <summary>The session's own tools; /mcp serves the same objects (<see cref="McpServices.AddTutorClawMcp"/>).</summary>
    public IReadOnlyList<McpServerTool> Tools { get; }

    /// <summary>Ends when the client closes stdin (or the session is disposed).</summary>
    public Task Completion { get; }

    /// <summary>Starts answering on stdin/stdout at once.</summary>
    public static StdioSession Open() =>
        new((options, loggers) => new StdioServerTransport(options, loggers), TimeProvider.System);

    /// <summary>The same session over other streams (tests).</summary>
    internal static StdioSession Over(Stream input, Stream output, TimeProvider clock) =>
        new((options, loggers) => new StreamServerTransport(input, output, McpServices.ServerName, loggers), clock);

    /// <summary>From now on requests are served with <paramref name="services"/>, and logged through them.</summary>
    public void HandOff(IServiceProvider services) => _composed.Set(services);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException)
        {
            // Stopped by us, or the client's end already gone: the server is closed below either way.
        }
        await _server.DisposeAsync().ConfigureAwait(false);
        await _own.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// The composed server's services once handed over; before that, nothing (the SDK asks only for
    /// optional services, and tool calls wait for <see cref="Ready"/>). Loggers made before the
    /// hand-off write through the composed server's logging from then on, and drop what comes before.
    /// </summary>
    private sealed class ComposedServices : IServiceProvider, ILoggerFactory
    {
        private readonly TaskCompletionSource<IServiceProvider> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ready => _ready.Task;

        public ILoggerFactory Loggers => this;

        public void Set(IServiceProvider services) => _ready.TrySetResult(services);

        public object? GetService(Type serviceType) =>
            _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result.GetService(serviceType) : null;

        public ILogger CreateLogger(string categoryName) => new LateLogger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The stdio session logs through the composed server.");

        public void Dispose()
        {
            // The composed server owns its logging.
        }

        private sealed class LateLogger(ComposedServices owner, string category) : ILogger
        {
            private ILogger? _logger;

            private ILogger Logger => _logger ?? (owner._ready.Task.IsCompletedSuccessfully
                ? _logger = owner._ready.Task.Result.GetRequiredService<ILoggerFactory>().CreateLogger(category)
                : NullLogger.Instance);

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Logger.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => Logger.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                Logger.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
