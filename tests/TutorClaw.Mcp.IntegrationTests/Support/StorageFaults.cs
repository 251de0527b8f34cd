using System.ComponentModel;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// Real storage failures for tests, made with root-only commands because a root process ignores
/// file permissions: <c>chattr +i</c> (immutable even for root) and a size-limited tmpfs. When a
/// command cannot run (not root, no chattr, no tmpfs) the test fails with a message saying so;
/// it never passes without having made the fault. CI runs as root.
/// </summary>
public static class StorageFaults
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Makes <paramref name="directory"/> immutable: nothing can be created, renamed or removed in it, not even by root.</summary>
    public static async Task<ImmutableDirectory> MakeImmutableAsync(string directory)
    {
        await RunAsync("chattr", "+i", directory);
        return new ImmutableDirectory(directory);
    }

    /// <summary>Mounts a new tmpfs of <paramref name="sizeBytes"/> bytes on a fresh temporary directory.</summary>
    public static async Task<TmpfsMount> MountTmpfsAsync(long sizeBytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "tutorclaw-tests", "tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        try
        {
            await RunAsync("mount", "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0755", "tmpfs", path);
        }
        catch (Exception)
        {
            Directory.Delete(path);
            throw;
        }
        return new TmpfsMount(path);
    }

    internal static async Task RunAsync(string command, params string[] arguments)
    {
        var line = command + " " + string.Join(' ', arguments);
        ProcessRun run;
        try
        {
            run = await ProcessRun.RunAsync(command, arguments, "/", new Dictionary<string, string?>(), CommandTimeout);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not run `{line}` ({e.Message}). This storage-fault test needs root and {command}; CI runs as root.", e);
        }
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{line}` failed with exit code {run.ExitCode}: {run.Stderr.Trim()} " +
                "This storage-fault test needs root (CI runs as root); it cannot make the fault otherwise and so cannot pass.");
        }
    }
}

/// <summary>A directory under <c>chattr +i</c>; <see cref="ReleaseAsync"/> (or disposal) takes the flag off again.</summary>
public sealed class ImmutableDirectory(string path) : IAsyncDisposable
{
    private int _released;

    public string Path { get; } = path;

    public async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await StorageFaults.RunAsync("chattr", "-i", Path);
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}

/// <summary>A small tmpfs that a test can fill to the last byte and free again; unmounted and removed on disposal.</summary>
public sealed class TmpfsMount(string path) : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;

    public string Path { get; } = path;

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    /// <summary>Writes a filler file until the file system answers "no space left"; bounded by the mount's size.</summary>
    public long Fill()
    {
        var chunk = new byte[Chunk];
        Array.Fill(chunk, (byte)0x5a);
        var written = 0L;
        using var filler = new FileStream(FillerPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var limit = new DriveInfo(Path).TotalSize / Chunk + 2;
        for (var i = 0; i < limit; i++)
        {
            try
            {
                filler.Write(chunk);
                written += chunk.Length;
            }
            catch (IOException)
            {
                // Whatever is left is less than a chunk; fill that with single pages.
                break;
            }
        }
        for (var i = 0; i < Chunk / 4096; i++)
        {
            try
            {
                filler.Write(chunk.AsSpan(0, 4096));
                written += 4096;
            }
            catch (IOException)
            {
                return written;
            }
        }
        throw new InvalidOperationException($"The tmpfs at {Path} did not fill up.");
    }

    public void Free() => File.Delete(FillerPath);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StorageFaults.RunAsync("umount", Path);
        }
        catch (InvalidOperationException)
        {
            // Something still has a file open there; detach it now, the kernel frees it when closed.
            await StorageFaults.RunAsync("umount", "-l", Path);
        }
        Directory.Delete(Path);
    }
}
