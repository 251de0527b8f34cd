using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// The live /mcp sessions, by Mcp-Session-Id. Sessions live in this process only: after a restart
/// every old id answers 404 and the client starts a new session, as the spec prescribes.
/// </summary>
public sealed class McpSessionStore(
    IOptions<McpServerOptions> serverOptions,
    IOptions<McpHttpOptions> httpOptions,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    TimeProvider clock) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, McpHttpSession> _sessions = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<McpSessionStore>();

    public int Count => _sessions.Count;

    /// <summary>Starts a session under a new unguessable id (128 random bits, visible ASCII as the spec asks).</summary>
    public McpHttpSession Start()
    {
        while (true)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = McpHttpSession.Start(id, serverOptions.Value, loggerFactory, services, clock);
            if (_sessions.TryAdd(id, session))
            {
                McpHttpLog.SessionStarted(_logger, id, _sessions.Count);
                return session;
            }
            // 2^-128: never, but a duplicate must not replace a live session.
            _ = session.DisposeAsync().AsTask();
        }
    }

    public McpHttpSession? Find(string id) => _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>Ends a session at the client's request (DELETE). False if no such session is live.</summary>
    public async Task<bool> EndAsync(string id)
    {
        if (!_sessions.TryGetValue(id, out var session) || !session.TryClose())
        {
            return false;
        }
        await RemoveAsync(session, "ended by the client");
        return true;
    }

    /// <summary>Ends every session that has had no request in flight for longer than the idle timeout.</summary>
    public async Task<int> EndIdleSessionsAsync()
    {
        var ended = 0;
        foreach (var session in _sessions.Values)
        {
            if (session.TryCloseIfIdle(httpOptions.Value.IdleTimeout))
            {
                await RemoveAsync(session, "idle");
                ended++;
            }
        }
        return ended;
    }

    /// <summary>Ends every session; their GET streams close, so shutdown does not wait on them.</summary>
    public async Task EndAllAsync()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.TryClose())
            {
                await RemoveAsync(session, "server shutting down");
            }
        }
    }

    public async ValueTask DisposeAsync() => await EndAllAsync();

    private async Task RemoveAsync(McpHttpSession session, string reason)
    {
        _sessions.TryRemove(new KeyValuePair<string, McpHttpSession>(session.Id, session));
        await session.DisposeAsync();
        McpHttpLog.SessionEnded(_logger, session.Id, reason);
    }
}
