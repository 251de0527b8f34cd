using Microsoft.Win32.SafeHandles;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Serializes work per key: in-process with a fixed pool of semaphores, across processes (a
/// command and a server on the same data directory) with an exclusive flock(2) on one of a fixed
/// set of lock files. Fixed pools keep the cost flat however many keys exist.
/// <para>A key's semaphore and its lock file are one stripe, chosen by a hash that every process
/// agrees on. Each lock file is opened once and kept open: holding the stripe's semaphore makes
/// this process the only user of that descriptor, so taking and releasing the lock is one
/// flock call each, not an open, a lock and a close per update.</para>
/// </summary>
public sealed class StripedLock : IDisposable
{
    private const int StripeCount = 256;
    private readonly Stripe[] _stripes;

    public StripedLock(string lockDirectory)
    {
        Directory.CreateDirectory(lockDirectory);
        _stripes = Enumerable.Range(0, StripeCount).Select(i => new Stripe(Path.Combine(lockDirectory, $"{i:x2}.lock"))).ToArray();
    }

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[StableStripe(key)];
        await stripe.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stripe.LockFileAsync(cancellationToken).ConfigureAwait(false);
            return new Release(stripe);
        }
        catch (Exception)
        {
            stripe.Semaphore.Release();
            throw;
        }
    }

    /// <summary>FNV-1a: string.GetHashCode is randomized per process, and the file lock must agree across processes.</summary>
    private static int StableStripe(string key)
    {
        uint hash = 2166136261;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash % StripeCount);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private sealed class Stripe(string path) : IDisposable
    {
        private SafeFileHandle? _file;

        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Takes the file lock; another process holding it makes this wait briefly and try
        /// again (flock without LOCK_NB would block a thread-pool thread). Only called with the
        /// semaphore held.</summary>
        public async Task LockFileAsync(CancellationToken cancellationToken)
        {
            var delay = 1;
            while (!TryLockFile())
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 50);
            }
        }

        private bool TryLockFile()
        {
            // Opened on first use, so a store that never updates a stripe holds no descriptor for it.
            _file ??= TryOpen();
            return _file is not null && FileSystemCalls.TryFlockExclusive(_file);
        }

        private SafeFileHandle? TryOpen()
        {
            if (OperatingSystem.IsLinux())
            {
                return FileSystemCalls.OpenOrCreateUnlocked(path);
            }
            try
            {
                return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Elsewhere .NET's own lock on open fails while another process holds the file.
                return null;
            }
        }

        /// <summary>Only called with the semaphore held and the file locked.</summary>
        public void Unlock()
        {
            try
            {
                FileSystemCalls.FlockUnlock(_file!);
            }
            finally
            {
                Semaphore.Release();
            }
        }

        public void Dispose()
        {
            // Closing the descriptor also releases a lock a failed release left behind.
            _file?.Dispose();
            Semaphore.Dispose();
        }
    }

    private sealed class Release(Stripe stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Unlock();
            }
        }
    }
}
