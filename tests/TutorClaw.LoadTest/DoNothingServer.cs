using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TutorClaw.LoadTest;

/// <summary>
/// The ceiling of the comparison (load tool mode <c>do-nothing-server</c>, started as a child
/// process by <c>compare</c>): Kestrel on 127.0.0.1 answering every POST /webhook with 200 after
/// reading the body, verifying nothing and storing nothing.
/// </summary>
public static class DoNothingServer
{
    public const string Mode = "do-nothing-server";

    public static async Task RunAsync(string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapPost("/webhook", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Text("{\"received\":true}", "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        // The line ServerUnderTest waits for, on stderr like the real server's log.
        await Console.Error.WriteLineAsync("Now listening on: " + address);
        await app.WaitForShutdownAsync();
    }
}
