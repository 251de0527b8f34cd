using System.Runtime.InteropServices;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// One flush of everything written to the file system that holds the data directory:
/// <c>syncfs(2)</c> on Linux. It makes file contents and directory entries durable in one call,
/// which is what lets one flush carry a whole batch of writes (<see cref="GroupCommitWriter"/>).
/// </summary>
public sealed class DiskFlush : IDiskFlush, IDisposable
{
    private readonly int _directory;

    public DiskFlush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The file store flushes with syncfs(2), which only Linux has.");
        }
        _directory = FileSystemCalls.Open(directory, 0 /* O_RDONLY */);
        if (_directory < 0)
        {
            throw new IOException($"Could not open the data directory to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    public void Flush()
    {
        if (FileSystemCalls.Syncfs(_directory) != 0)
        {
            throw new IOException($"Could not flush the data directory's file system (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    public void Dispose() => _ = FileSystemCalls.Close(_directory);
}
