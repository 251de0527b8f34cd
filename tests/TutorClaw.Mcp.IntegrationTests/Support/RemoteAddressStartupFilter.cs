using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// TestServer connections carry no IP address, and /mcp's guard treats "no address" as not loopback
/// (it fails closed). This gives every in-process request the peer address a test chooses.
/// </summary>
public sealed class RemoteAddressStartupFilter(Func<IPAddress?> remoteAddress) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = remoteAddress();
            return nextMiddleware(context);
        });
        next(app);
    };
}
