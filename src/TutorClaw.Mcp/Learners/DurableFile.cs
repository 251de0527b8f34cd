using System.Runtime.InteropServices;

namespace TutorClaw.Mcp.Learners;

/// <summary>
/// Crash-safe file writes: the bytes go to a temporary file in the same directory, are flushed to
/// the disk, and the temporary file is renamed over the target; then the directory itself is
/// flushed so the rename survives a power cut. A crash at any instant leaves the old or the new
/// file, never a torn one.
/// </summary>
public static class DurableFile
{
    private const string TempMarker = ".tmp-";

    /// <summary>Test seam: runs between "temporary file is durable" and "rename". Throwing here
    /// simulates a crash at the one moment where both files exist.</summary>
    internal static Action<string>? BeforeCommitForTests { get; set; }

    public static bool IsTemporary(string path) => Path.GetFileName(path).Contains(TempMarker, StringComparison.Ordinal);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing what is there.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = WriteTemporary(path, bytes);
        Commit(temp, () => File.Move(temp, path, overwrite: true), path);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> only if nothing is there
    /// yet; false if something already is. Atomic against other writers, in-process or not. On
    /// false the existing file is durable too.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> bytes)
    {
        // Fast path for the common "already there" (a replayed event's payment-intent binding, the
        // success page and the webhook applying one checkout, a phone registered again): no
        // temporary file, no fsync of it, no refused rename. Flushing the directory still makes
        // the existing entry durable, in case its writer is between rename and directory flush.
        if (File.Exists(path))
        {
            FlushDirectory(Path.GetDirectoryName(path)!);
            return false;
        }
        var temp = WriteTemporary(path, bytes);
        try
        {
            Commit(temp, () => MoveIfAbsent(temp, path), path);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>
    /// Gives <paramref name="temp"/> the name <paramref name="path"/> unless that name exists, as
    /// one atomic step. On Unix that is link(2), which fails with EEXIST when the name is taken;
    /// File.Move(overwrite: false) there checks and then renames, so two racing creators could
    /// both "win". The temporary name is removed by <see cref="Commit"/> either way.
    /// </summary>
    private static void MoveIfAbsent(string temp, string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            File.Move(temp, path, overwrite: false);
            return;
        }
        if (Native.link(temp, path) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(errno == EExist
                ? $"{path} already exists."
                : $"Could not create {path} (errno {errno}).");
        }
    }

    private const int EExist = 17;

    private static string WriteTemporary(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            using var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                PreallocationSize = bytes.Length,
            });
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception)
        {
            TryDelete(temp);
            throw;
        }
        return temp;
    }

    private static void Commit(string temp, Action rename, string path)
    {
        try
        {
            BeforeCommitForTests?.Invoke(temp);
            rename();
        }
        finally
        {
            TryDelete(temp);
        }
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Leftover temporary files are harmless: readers never open them, and they carry no
            // state the real file lacks.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above: a read-only directory keeps the temp file; the target is unchanged.
        }
    }

    /// <summary>fsync on the directory makes the rename itself durable (POSIX leaves it in the
    /// page cache otherwise). Not available on Windows, where NTFS journals the rename.</summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = Native.open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Native.fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // a plain ASCII path in, an int out; the source-generated form needs unsafe code for no gain here
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
#pragma warning restore CA2101, SYSLIB1054

        [DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // as above
        public static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
#pragma warning restore CA2101, SYSLIB1054

        [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}
