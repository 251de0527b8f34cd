using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TutorClaw.Mcp.Storage;

/// <summary>The few libc calls .NET does not offer: open, fsync and close of a path (directories included), fdatasync
/// (the journal's one flush per batch), the journal's lock, and link (an atomic "create unless it exists" rename).</summary>
internal static class FileSystemCalls
{
    private const int EExist = 17;

    /// <summary>Gives <paramref name="temp"/> the name <paramref name="path"/> unless that name
    /// exists, as one atomic step: link(2) fails with EEXIST when the name is taken, whereas
    /// File.Move(overwrite: false) checks and then renames, so two racing creators could both
    /// "win". False when the name was taken.</summary>
    public static bool LinkIfAbsent(string temp, string path)
    {
        if (Link(temp, path) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == EExist ? false : throw new IOException($"Could not create {path} (errno {errno}).");
    }

#pragma warning disable CA2101, SYSLIB1054 // plain UTF-8 paths in, an int out; the source-generated form needs unsafe code for no gain here
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    /// <summary>Linux: opens (creating if missing, mode 0644) a file for reading and writing without
    /// any lock. .NET's FileStream and File.OpenHandle take a flock of their own, which fails while
    /// another process holds the lock this file exists for.</summary>
    public static SafeFileHandle OpenOrCreateUnlocked(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("open(2) flags are Linux's here.");
        }
        var fd = OpenWithMode(path, 2 /* O_RDWR */ | 0x40 /* O_CREAT */ | 0x80000 /* O_CLOEXEC */, 420 /* 0644 */);
        return fd >= 0
            ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new IOException($"Could not open {path} (errno {Marshal.GetLastPInvokeError()}).");
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenWithMode([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);
    /// <summary>Takes an exclusive open-file-description lock (Linux <c>fcntl(F_OFD_SETLK)</c>) on
    /// the whole of <paramref name="fd"/> without waiting; false when another open file, in this
    /// process or another, holds it. Unlike flock(2), which .NET itself takes for FileShare, it
    /// does not stop anyone from opening and reading the file; it ends with the descriptor, so a
    /// killed process releases it.</summary>
    public static bool TryLockExclusive(int fd)
    {
        var whole = new FileLockRange { Type = 1 /* F_WRLCK */, Whence = 0 /* SEEK_SET */, Start = 0, Length = 0 };
        if (Fcntl(fd, 37 /* F_OFD_SETLK */, ref whole) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 /* EAGAIN */ or 13 /* EACCES */
            ? false
            : throw new IOException($"Could not lock the journal (errno {errno}).");
    }

    /// <summary>struct flock of Linux x86-64 and arm64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FileLockRange
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, ref FileLockRange range);

    /// <summary>flock(LOCK_EX | LOCK_NB): the lock .NET itself takes for FileShare.None, so a
    /// process that opens the file that way and this one exclude each other. False when another
    /// open file holds it.</summary>
    public static bool TryFlockExclusive(SafeHandle file)
    {
        if (Flock((int)file.DangerousGetHandle(), 2 /* LOCK_EX */ | 4 /* LOCK_NB */) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 /* EWOULDBLOCK, Linux */ or 35 /* EWOULDBLOCK, macOS */ ? false : throw new IOException($"Could not lock a store lock file (errno {errno}).");
    }

    /// <summary>flock(LOCK_UN).</summary>
    public static void FlockUnlock(SafeHandle file)
    {
        if (Flock((int)file.DangerousGetHandle(), 8 /* LOCK_UN */) != 0)
        {
            throw new IOException($"Could not unlock a store lock file (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    /// <summary>Swaps the names <paramref name="first"/> and <paramref name="second"/> in one atomic
    /// step (Linux <c>renameat2(RENAME_EXCHANGE)</c>): a reader opening either name sees one whole
    /// file or the other, and neither file is deleted. False when it cannot be done here (one name
    /// missing, a file system or system without it); the caller then renames instead.</summary>
    public static bool TryExchange(string first, string second)
    {
        if (!OperatingSystem.IsLinux() || !s_exchangeSupported)
        {
            return false;
        }
        if (RenameAt2(-100 /* AT_FDCWD */, first, -100, second, 2 /* RENAME_EXCHANGE */) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        switch (errno)
        {
            case 2: // ENOENT: nothing to swap with yet
                return false;
            case 22 or 38 or 95: // EINVAL, ENOSYS, EOPNOTSUPP: not on this file system or kernel
                s_exchangeSupported = false;
                return false;
            default:
                throw new IOException($"Could not swap {first} and {second} (errno {errno}).");
        }
    }

    private static volatile bool s_exchangeSupported = true;

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    /// <summary>fdatasync(2) where it exists (Linux); fsync elsewhere.</summary>
    public static int FlushData(int fd) => OperatingSystem.IsLinux() ? Fdatasync(fd) : Fsync(fd);

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Fdatasync(int fd);

#pragma warning restore CA2101, SYSLIB1054
}
