using System.Collections.Concurrent;

namespace TutorClaw.LoadTest;

/// <summary>
/// Keeps one server's deleted files from slowing the next one down. On ext4, allocating an inode
/// skips every inode freed in the last 60 s (300 s while its inode-table block is dirty), reading
/// the inode table to find out, so a server that starts right after another's data directory was
/// deleted spends its CPU scanning past those files: measured here, up to twice the CPU per webhook
/// event for the same build (README "Performance"). A server frees inodes as it runs too (a
/// file replaced through a temporary file frees the old one), so each server measured waits until
/// the previous one's deletions are over a minute old, and the servers' directories are deleted
/// only when the whole run ends.
/// </summary>
public static class DeletedFiles
{
    private static readonly TimeSpan Recency = TimeSpan.FromSeconds(65);
    private static readonly ConcurrentQueue<string> Retired = new();

    private static string Root => Path.Combine(Path.GetTempPath(), "tutorclaw-loadtest");

    private static string Marker => Path.Combine(Root, "last-deletion");

    /// <summary>A directory to delete when the run ends, not now.</summary>
    public static void DeleteAtEnd(string directory) => Retired.Enqueue(directory);

    /// <summary>Deletes every retired directory and notes when, for the next run to wait on.</summary>
    public static void DeleteRetired()
    {
        var deleted = false;
        while (Retired.TryDequeue(out var directory))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                deleted = true;
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless.
            }
        }
        if (deleted)
        {
            NoteDeletions();
        }
    }

    /// <summary>Files were deleted just now (a server ran, or its directory went).</summary>
    public static void NoteDeletions()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(Marker, DateTimeOffset.UtcNow.ToString("O"));
    }

    /// <summary>Waits until the last deletions noted (by this run or an earlier one) are over a minute
    /// old. Call it after a sync: their inode-table blocks are then clean and the 60 s rule applies.</summary>
    public static async Task WaitOutRecentDeletionsAsync()
    {
        if (!File.Exists(Marker))
        {
            return;
        }
        var wait = Recency - (DateTime.UtcNow - File.GetLastWriteTimeUtc(Marker));
        if (wait > TimeSpan.Zero)
        {
            Console.WriteLine($"waiting {wait.TotalSeconds:F0} s: files were deleted less than a minute ago (the previous server's), and new files would pay for them");
            await Task.Delay(wait);
        }
    }
}
