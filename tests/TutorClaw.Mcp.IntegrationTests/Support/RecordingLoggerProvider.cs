using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// Keeps every log record of every category at every level (Trace included): the formatted
/// message, each structured value, the active scopes and the full exception text. For tests
/// that must prove something never reaches a log.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Records => [.. _records];

    /// <summary>Adds the provider to an app's services and lets it see Trace from every category,
    /// whatever the app's own logging configuration says.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Add(new LoggerFilterRule(typeof(RecordingLoggerProvider).FullName, null, LogLevel.Trace, null)));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var scopes = new List<string>();
            provider._scopes.ForEachScope((scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object?>> kv
                ? string.Join(" ", kv.Select(p => $"{p.Key}={p.Value}"))
                : scope?.ToString() ?? ""), scopes);
            provider._records.Enqueue($"{logLevel} {category}[{eventId}] {formatter(state, exception)} | {values} | scopes: {string.Join(" / ", scopes)} | {exception}");
        }
    }
}
