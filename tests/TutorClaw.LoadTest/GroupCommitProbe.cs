using System.Diagnostics;

namespace TutorClaw.LoadTest;

/// <summary>
/// What the disk could do with fewer flushes: many writers each append a 1 KiB record to one
/// preallocated log and wait until it is durable, while a single leader at a time fdatasyncs
/// everything appended so far (group commit). Not what the server does (one file per learner,
/// temp file + fsync + rename + directory fsync); the figure beside the webhook numbers shows how
/// much of their cost is the per-event flushes. Bounded: <c>records</c> in all.
/// </summary>
public static class GroupCommitProbe
{
    public sealed record Result(int Writers, double RecordsPerSecond, double CpuMicrosecondsPerRecord);

    public static Result Run(string directory, int writers, int records)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "group-commit.log");
        var record = new byte[1024];
        using var log = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        log.SetLength((long)records * record.Length);
        log.Flush(flushToDisk: true);
        var handle = log.SafeFileHandle;

        var gate = new object();
        long next = 0, appended = 0, durable = 0;
        var syncing = false;
        void AppendDurably()
        {
            var offset = Interlocked.Increment(ref next) - 1;
            RandomAccess.Write(handle, record, offset * record.Length);
            lock (gate)
            {
                var mine = ++appended;
                while (durable < mine)
                {
                    if (syncing)
                    {
                        Monitor.Wait(gate);
                        continue;
                    }
                    syncing = true;
                    var upTo = appended;
                    Monitor.Exit(gate);
                    try
                    {
                        RandomAccess.FlushToDisk(handle);
                    }
                    finally
                    {
                        Monitor.Enter(gate);
                        durable = Math.Max(durable, upTo);
                        syncing = false;
                        Monitor.PulseAll(gate);
                    }
                }
            }
        }

        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < records / writers; i++)
            {
                AppendDurably();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var done = records / writers * writers;
        var result = new Result(writers, done / clock.Elapsed.TotalSeconds, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / done);
        log.Dispose();
        File.Delete(path);
        return result;
    }
}
