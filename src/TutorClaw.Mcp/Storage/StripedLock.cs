namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Serializes work per key: in-process with a fixed pool of semaphores, across processes (a
/// stdio instance and a server on the same data directory) with an exclusive lock on one of a
/// fixed set of lock files. Fixed pools keep the cost flat however many keys exist.
/// </summary>
public sealed class StripedLock : IDisposable
{
    private const int StripeCount = 256;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly string _lockDirectory;

    public StripedLock(string lockDirectory)
    {
        _lockDirectory = lockDirectory;
        Directory.CreateDirectory(lockDirectory);
    }

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % StripeCount);
        // string.GetHashCode is randomized per process; the file lock must agree across processes.
        var fileStripe = StableStripe(key);
        await _stripes[stripe].WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var file = await LockFileAsync(Path.Combine(_lockDirectory, $"{fileStripe:x2}.lock"), cancellationToken).ConfigureAwait(false);
            return new Release(_stripes[stripe], file);
        }
        catch (Exception)
        {
            _stripes[stripe].Release();
            throw;
        }
    }

    private static int StableStripe(string key)
    {
        uint hash = 2166136261;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash % StripeCount);
    }

    private static async Task<FileStream> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        // FileShare.None takes an exclusive flock on Unix; it fails at once when another process
        // holds it, so wait briefly and try again.
        var delay = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 50);
            }
        }
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private sealed class Release(SemaphoreSlim stripe, FileStream file) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                file.Dispose();
                stripe.Release();
            }
        }
    }
}
