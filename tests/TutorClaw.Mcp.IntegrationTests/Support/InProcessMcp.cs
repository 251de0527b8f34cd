using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// A real MCP client talking to a real MCP server over in-memory pipes, the server built from the
/// app's own McpServerOptions and services: the same tools either door serves.
/// </summary>
public sealed class InProcessMcp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _serverRun;

    private InProcessMcp(McpClient client, Task serverRun, CancellationTokenSource stop)
    {
        Client = client;
        _serverRun = serverRun;
        _stop = stop;
    }

    public McpClient Client { get; }

    public static async Task<InProcessMcp> ConnectAsync(IServiceProvider services)
    {
        var clientToServer = new Pipe();
        var serverToClient = new Pipe();
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var options = services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var server = McpServer.Create(
            new StreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream(), "tests", loggerFactory),
            options, loggerFactory, services);
        var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        var client = await McpClient.CreateAsync(
            new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream(), loggerFactory));
        return new InProcessMcp(client, run, stop);
    }

    public Task<CallToolResult> CallAsync(string tool, object? arguments = null) =>
        Client.CallToolAsync(tool, arguments is null ? null : ToDictionary(arguments)).AsTask();

    private static Dictionary<string, object?> ToDictionary(object arguments) =>
        arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(arguments));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _serverRun;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
