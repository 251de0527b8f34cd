using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TutorClaw.LoadTest;

/// <summary>
/// What the disk costs, to set beside the figures: (1) fsync of a small file overwritten in place;
/// (2) the full durable replace the repository does per write (new temp file, write, fsync,
/// rename, fsync the directory). Sequential, one thread; bounded by <c>count</c>.
/// </summary>
public static class FsyncProbe
{
    public static (Latencies Fsync, Latencies DurableReplace) Run(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var payload = new byte[600];
        var fsync = new Latencies(count);
        var target = Path.Combine(directory, "probe.bin");
        using (var stream = new FileStream(target, FileMode.Create, FileAccess.Write))
        {
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                stream.Position = 0;
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
                fsync.Add(Stopwatch.GetTimestamp() - started);
            }
        }

        var replace = new Latencies(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var temp = target + ".tmp";
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            FsyncDirectory(directory);
            replace.Add(Stopwatch.GetTimestamp() - started);
        }
        File.Delete(target);
        return (fsync, replace);
    }

    private static void FsyncDirectory(string directory)
    {
        var fd = open(directory, 0);
        if (fd < 0 || fsync(fd) != 0)
        {
            throw new IOException($"fsync of {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        _ = close(fd);
    }

#pragma warning disable CA2101, SYSLIB1054 // plain ASCII path in, int out; the generated form needs unsafe code for no gain here
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore CA2101, SYSLIB1054
}
