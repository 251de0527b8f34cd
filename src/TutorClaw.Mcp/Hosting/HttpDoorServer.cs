using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// Kestrel, wrapped so that a listen address it cannot bind is a decision instead of a crash.
/// In --stdio mode the MCP door matters most: the HTTP door stays shut with one log line and
/// stdio keeps serving (a server already running on that address shares the learner store and
/// takes the webhooks). Otherwise the process stops, and <see cref="HostRunner"/> says why in one
/// line with exit code 2. A host told to stop while Kestrel was still binding (stdin closed at
/// once in --stdio mode) simply goes on stopping.
/// </summary>
public sealed partial class HttpDoorServer(
    IServer kestrel,
    LaunchMode mode,
    HttpDoorStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<HttpDoorServer> logger) : IServer
{
    private bool _started;

    public IFeatureCollection Features => kestrel.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        // Read before binding: a failed bind clears the list.
        var addresses = string.Join(", ", kestrel.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        try
        {
            await kestrel.StartAsync(application, cancellationToken).ConfigureAwait(false);
            _started = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is already stopping; there is no door to open.
        }
        catch (IOException e) when (e.InnerException is AddressInUseException or SocketException)
        {
            var reason = e.InnerException is AddressInUseException ? "is already in use" : "cannot be listened on";
            if (mode == LaunchMode.Stdio)
            {
                LogHttpDoorNotOpen(addresses, reason);
                return;
            }
            status.Fail($"the listen address {addresses} {reason}; stop the other process or choose another address with --urls or TUTORCLAW_URLS.");
            lifetime.StopApplication();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _started ? kestrel.StopAsync(cancellationToken) : Task.CompletedTask;

    public void Dispose() => kestrel.Dispose();

    /// <summary>Replaces the registered server (Kestrel) with itself around it.</summary>
    public static IServiceCollection Wrap(IServiceCollection services, LaunchMode mode)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(IServer));
        if (inner is null)
        {
            return services;
        }
        services.Remove(inner);
        services.AddSingleton<HttpDoorStatus>();
        services.AddSingleton<IServer>(sp => new HttpDoorServer(
            Create(sp, inner),
            mode,
            sp.GetRequiredService<HttpDoorStatus>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<HttpDoorServer>>()));
        return services;
    }

    private static IServer Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IServer)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "HTTP door not open in this process: {Addresses} {Reason}, most likely by the TutorClaw server already running, which shares the learner store and takes the webhooks. MCP over stdio works as usual.")]
    private partial void LogHttpDoorNotOpen(string addresses, string reason);
}
