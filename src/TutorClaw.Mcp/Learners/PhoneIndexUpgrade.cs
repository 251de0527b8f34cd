namespace TutorClaw.Mcp.Learners;

/// <summary>
/// Brings learners registered before phone numbers were normalized up to date, once per start,
/// in the background: each old document's phone is indexed under its E.164 key (an index entry
/// that already exists wins, so earlier duplicates stay separate learners) and removed from the
/// document. Registrations that give a phone wait for it (<see cref="Completion"/>). Documents
/// without a phone are only read. Old index entries (digests of the phone as it was typed) stay
/// and harm nothing. The repository is asked for only when the pass runs, on a pool thread: the host
/// builds its hosted services before the stdio door answers, and the store may still be opening.
/// </summary>
public sealed partial class PhoneIndexUpgrade(
    Func<ILearnerRepository> repositoryWhenRunning,
    PhoneNormalizer phones,
    ILogger<PhoneIndexUpgrade> logger) : IHostedService
{
    public PhoneIndexUpgrade(ILearnerRepository repository, PhoneNormalizer phones, ILogger<PhoneIndexUpgrade> logger)
        : this(() => repository, phones, logger)
    {
    }

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Finished (or never started, when no host runs it).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Completion = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next start carries on.
        }
    }

    /// <summary>One pass over every learner; returns how many documents held a phone.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var upgraded = 0;
        try
        {
            var repository = repositoryWhenRunning();
            await foreach (var id in repository.ListIdsAsync(cancellationToken).ConfigureAwait(false))
            {
                var learner = await repository.FindAsync(id, cancellationToken).ConfigureAwait(false);
                if (learner?.Phone is not { } phone)
                {
                    continue;
                }
                if (phones.ToE164(phone) is { } e164)
                {
                    await repository.ClaimPhoneAsync(PhoneNormalizer.Key(e164), id, cancellationToken).ConfigureAwait(false);
                }
                await repository.UpdateAsync(id, l => l.Phone is null ? l : l with { Phone = null }, cancellationToken).ConfigureAwait(false);
                upgraded++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // A store that cannot be read or written now must not keep registrations waiting forever.
            LogFailed(e.Message);
            return upgraded;
        }
        if (upgraded > 0)
        {
            LogUpgraded(upgraded);
        }
        return upgraded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone index: {Count} learners registered before numbers were normalized are now indexed by E.164, and their documents no longer hold the number")]
    private partial void LogUpgraded(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Phone index: bringing older learners up to date failed ({Reason}); it is tried again at the next start")]
    private partial void LogFailed(string reason);
}
