namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// In --stdio mode, the stdio door answers first. The stdio session (<c>Mcp.StdioSession</c>) is
/// answering before the host is even built; this hosted service is registered right after the
/// session's hand-off, so the host waits here before it starts what follows: the deferred
/// telemetry, the startup report and, last of all (the web host always starts last), Kestrel with
/// its pipeline. It waits until the client on stdin has had its first <c>tools/list</c> answered
/// (<see cref="ToolsListed"/>), or <see cref="Patience"/> for a client that lists no tools, or until
/// the host stops. The stdio session itself never waits for the HTTP door.
/// </summary>
public sealed class StdioFirst(TimeProvider clock) : IHostedService
{
    /// <summary>The longest the HTTP door waits for a stdio client that does not list tools.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a tools/list has been answered (on either door; until this completes only stdio is open).</summary>
    public Task ToolsListed => _listed.Task;

    public void OnToolsListed() => _listed.TrySetResult();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A stopping host (stdin closed at once) cancels the wait; the delay never throws out of WhenAny.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(ToolsListed, Task.Delay(Patience, clock, patience.Token)).ConfigureAwait(false);
        await patience.CancelAsync().ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
