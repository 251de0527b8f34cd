using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TutorClaw.LoadTest;

/// <summary>
/// sync(2): writes every dirty page of the machine to the disk and waits for it. A store that
/// acknowledges before its files are written back (the journal's materialized view) leaves that
/// work for the kernel to do later, on the same two cores; a level's time includes it, so a design
/// is not credited with work it merely postponed, and the next server measured does not pay for
/// the previous one's.
/// </summary>
public static class Writeback
{
    public static double SyncSeconds()
    {
        var started = Stopwatch.StartNew();
        sync();
        return started.Elapsed.TotalSeconds;
    }

#pragma warning disable SYSLIB1054 // no arguments, nothing returned
    [DllImport("libc")]
    private static extern void sync();
#pragma warning restore SYSLIB1054
}
