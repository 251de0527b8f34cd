using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>
/// The store's per-key lock. Two <see cref="StripedLock"/>s on one directory hold separate
/// descriptors of the lock files, which is what two processes (a server and a command) have:
/// flock(2) excludes between them as it does between processes.
/// </summary>
public sealed class StripedLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_key_held_by_another_holder_of_the_lock_files_waits_for_its_release()
    {
        using var server = new StripedLock(_temp.Path);
        using var command = new StripedLock(_temp.Path);

        var held = await server.AcquireAsync("learner_a", CancellationToken.None);
        var waiting = command.AcquireAsync("learner_a", CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        // Released again for the first holder.
        (await server.AcquireAsync("learner_a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task A_lock_file_held_the_way_earlier_builds_held_it_keeps_the_key_until_closed()
    {
        using var locks = new StripedLock(_temp.Path);
        // Find the key's lock file: the one this lock holds while the key is held.
        string lockFile;
        using (await locks.AcquireAsync("learner_b", CancellationToken.None))
        {
            lockFile = Directory.GetFiles(_temp.Path, "*.lock").Single(IsLocked);
        }

        // Earlier builds locked by opening the file with FileShare.None (.NET's flock).
        var earlier = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var waiting = locks.AcquireAsync("learner_b", CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await earlier.DisposeAsync();
        var held = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(IsLocked(lockFile));
        held.Dispose();
        held.Dispose();
        Assert.False(IsLocked(lockFile));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_and_leaves_the_key_usable()
    {
        using var server = new StripedLock(_temp.Path);
        using var command = new StripedLock(_temp.Path);
        var held = await server.AcquireAsync("learner_c", CancellationToken.None);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.AcquireAsync("learner_c", cancel.Token));

        held.Dispose();
        (await command.AcquireAsync("learner_c", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    /// <summary>Whether some descriptor holds the file's flock (an exclusive open fails while one does).</summary>
    private static bool IsLocked(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
