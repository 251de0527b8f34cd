using System.Runtime.InteropServices;

namespace TutorClaw.Mcp.Storage;

/// <summary>The few libc calls .NET does not offer: open, fsync and close of a path (directories included), and link
/// (an atomic "create unless it exists" rename).</summary>
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
#pragma warning restore CA2101, SYSLIB1054
}
