using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// fsync of many files or directories at once, issued side by side from a few flusher threads so
/// the file system commits them together (ext4's journal folds concurrent fsyncs into one
/// commit). Only the store's own files are flushed, never the rest of the file system: on a
/// shared machine a <c>syncfs</c> pays for every other process's dirty data (measured: README
/// "Performance").
/// </summary>
public sealed class DiskFlush : IDiskFlush, IDisposable
{
    private const int Flushers = 8;
    private readonly BlockingCollection<Work> _work = new();
    private readonly Thread[] _threads;

    public DiskFlush()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("The file store needs POSIX fsync and link.");
        }
        _threads = Enumerable.Range(0, Flushers).Select(i => new Thread(Run) { IsBackground = true, Name = $"TutorClaw flush {i}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public void Flush(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }
        if (paths.Count == 1)
        {
            FlushPath(paths[0]);
            return;
        }
        var batch = new Batch(paths.Count);
        foreach (var path in paths)
        {
            _work.Add(new Work(path, batch));
        }
        batch.Done.Wait();
        if (batch.Error is { } error)
        {
            throw error;
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _work.Dispose();
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            try
            {
                FlushPath(work.Path);
            }
            catch (IOException e)
            {
                work.Batch.Error = e;
            }
            work.Batch.Done.Signal();
        }
    }

    /// <summary>fsync of one file or directory, on the calling thread.</summary>
    public static void FlushPath(string path)
    {
        var fd = FileSystemCalls.Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Could not open {path} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (FileSystemCalls.Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush {path} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = FileSystemCalls.Close(fd);
        }
    }

    private sealed record Work(string Path, Batch Batch);

    private sealed class Batch(int count)
    {
        public CountdownEvent Done { get; } = new(count);

        public volatile IOException? Error;
    }
}
