namespace TutorClaw.Mcp.Mcp;

/// <summary>
/// Gives the stdio session (<see cref="StdioSession"/>, already answering) the composed server's
/// services, and stops the server when the session ends: the client closing stdin ends the
/// process, as it does for the SDK's own stdio hosting.
/// </summary>
public sealed class StdioSessionHandOff(StdioSession session, IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.HandOff(services);
        _ = session.Completion.ContinueWith(_ => lifetime.StopApplication(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
