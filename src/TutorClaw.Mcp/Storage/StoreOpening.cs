namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Opens the store (for the file store: its journal replayed into the learner documents, ~20–40 ms)
/// on a thread of its own as soon as the host starts, while the host goes on starting the doors. Nothing
/// can see the store half-open: every part of it is resolved through the one <see cref="IStore"/>
/// singleton, and the container makes anyone who asks for it while it is being built wait until it
/// is. So a tool call or a webhook that arrives first waits for recovery, and never answers from a
/// store that has not been brought up to date. A store that cannot open fails whoever asks next
/// (before the HTTP door opens, <c>StartupReport</c> does, and the start stops as it always has).
/// </summary>
public sealed class StoreOpening(IServiceProvider services) : IHostedService
{
    /// <summary>The background open; its failure is reported by whoever resolves the store next.</summary>
    public Task Opened { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A thread of its own: the open blocks (disk, and whoever waits for the singleton blocks on
        // it too), and a blocked pool thread would delay the stdio session, which runs on the pool.
        Opened = Task.Factory.StartNew(
            () => services.GetRequiredService<IStore>(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>Stopped last (it started first): a store still opening is let finish, so the container
    /// disposes it with everything else rather than racing it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!Opened.IsCompletedSuccessfully)
        {
            // A store that could not open has nothing to close; whoever asked for it reported why.
        }
    }
}
