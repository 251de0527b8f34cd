using System.Runtime.InteropServices;

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

    /// <summary>fdatasync(2) where it exists (Linux); fsync elsewhere.</summary>
    public static int FlushData(int fd) => OperatingSystem.IsLinux() ? Fdatasync(fd) : Fsync(fd);

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Fdatasync(int fd);

#pragma warning restore CA2101, SYSLIB1054
}
