using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// One Streamable HTTP session: the SDK's transport, the McpServer running over it, and how many
/// HTTP requests are using it right now. A session is idle when no request holds a lease; once it
/// is closed, no new lease is handed out and the next request with its id gets 404.
/// </summary>
public sealed class McpHttpSession : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TimeProvider _clock;
    private readonly McpServer _server;
    private readonly Task _run;
    private int _leases;
    private bool _closed;
    private bool _disposed;
    private DateTimeOffset _lastActivity;
    private int _getStreamOpen;

    private McpHttpSession(string id, StreamableHttpServerTransport transport, McpServer server, TimeProvider clock)
    {
        Id = id;
        Transport = transport;
        _server = server;
        _clock = clock;
        _lastActivity = clock.GetUtcNow();
        _run = server.RunAsync(_ended.Token);
    }

    public string Id { get; }

    public StreamableHttpServerTransport Transport { get; }

    /// <summary>Cancelled when the session ends (DELETE, idle, shutdown); ends its GET stream.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>
    /// Builds the session's server from the app's McpServerOptions and root services, so every
    /// session and the stdio door serve the same DI-registered tools.
    /// </summary>
    public static McpHttpSession Start(
        string id, McpServerOptions serverOptions, ILoggerFactory loggerFactory, IServiceProvider services, TimeProvider clock)
    {
        var transport = new StreamableHttpServerTransport(loggerFactory) { SessionId = id };
        var server = McpServer.Create(transport, serverOptions, loggerFactory, services);
        return new McpHttpSession(id, transport, server, clock);
    }

    /// <summary>A lease keeps the session from counting as idle while a request uses it; null once closed.</summary>
    public IDisposable? TryAcquire()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }
            _leases++;
            _lastActivity = _clock.GetUtcNow();
            return new Lease(this);
        }
    }

    /// <summary>Closes the session if no request holds it and it has been quiet for longer than <paramref name="idleTimeout"/>.</summary>
    public bool TryCloseIfIdle(TimeSpan idleTimeout)
    {
        lock (_gate)
        {
            if (_closed || _leases > 0 || _clock.GetUtcNow() - _lastActivity <= idleTimeout)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>Closes the session whatever is in flight (DELETE, shutdown). False if it was already closed.</summary>
    public bool TryClose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>This server offers one standalone GET stream per session.</summary>
    public bool TryOpenGetStream() => Interlocked.Exchange(ref _getStreamOpen, 1) == 0;

    public void CloseGetStream() => Volatile.Write(ref _getStreamOpen, 0);

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _closed = true;
        }
        // Transport first, so the server's message loop ends on a completed reader rather than a
        // cancellation, then the loop, then the server (the order the SDK's own session uses).
        await Transport.DisposeAsync();
        await _ended.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // The session's own stop signal.
        }
        await _server.DisposeAsync();
        _ended.Dispose();
    }

    private void Release()
    {
        lock (_gate)
        {
            _leases--;
            _lastActivity = _clock.GetUtcNow();
        }
    }

    private sealed class Lease(McpHttpSession session) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                session.Release();
            }
        }
    }
}
