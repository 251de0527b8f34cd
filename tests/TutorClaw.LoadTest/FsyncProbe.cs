using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TutorClaw.LoadTest;

/// <summary>
/// What the disk costs, to set beside the figures: (1) fsync of a small file overwritten in place;
/// (2) the full durable replace the repository does per write (new temp file, write, fsync,
/// rename, fsync the directory). Sequential, one thread; bounded by <c>count</c>. Also the CPU
/// time each costs this process: in a virtual machine every disk request is a trip to the
/// hypervisor, and that time is charged to the caller as system time.
/// </summary>
public static class FsyncProbe
{
    public sealed record Result(Latencies Fsync, double FsyncCpuMicroseconds, Latencies DurableReplace, double DurableReplaceCpuMicroseconds);

    public static Result Run(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var payload = new byte[600];
        var fsync = new Latencies(count);
        var cpu = Environment.CpuUsage.TotalTime;
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

        var fsyncCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / count;

        var replace = new Latencies(count);
        cpu = Environment.CpuUsage.TotalTime;
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
        var replaceCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / count;
        File.Delete(target);
        return new Result(fsync, fsyncCpu, replace, replaceCpu);
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
