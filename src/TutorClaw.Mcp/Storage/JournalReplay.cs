using System.Security.Cryptography;
using System.Text.Json;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Brings the files up to date from the journal when the store opens, before anything reads
/// them, then makes them durable and resets the journal. Per file, the record that decides is
/// the last replace (or, with none, the first create-if-absent: the one whose link won):
/// <list type="bullet">
/// <item>the file holds that image: nothing to do;</item>
/// <item>the file is missing or does not parse (a rename lost with the page cache, a file cut
/// short): the image is written;</item>
/// <item>the file's bytes are ones the journal knows for it (the before-hash of any record, or any
/// record's image): the server wrote or replaced them, so they are older than the deciding
/// record, which is written;</item>
/// <item>anything else is a hand edit, or a durable write by a command beside the server, made
/// after the last record: it is kept, never overwritten by an older record.</item>
/// </list>
/// A create-if-absent whose file exists and parses keeps the file whatever it holds.
/// </summary>
public static partial class JournalReplay
{
    /// <summary>Replays <paramref name="journal"/> into its data directory and resets it.</summary>
    public static JournalReplayResult Run(Journal journal, ILogger logger)
    {
        var records = journal.ReadAll();
        var restored = 0;
        var kept = 0;
        var touched = new List<string>();
        foreach (var group in records.GroupBy(r => r.Path, StringComparer.Ordinal))
        {
            if (!TryResolve(journal.DataDirectory, group.Key, out var path))
            {
                continue;
            }
            switch (Decide(path, group.ToList()))
            {
                case Decision.Write write:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var temp = TemporaryFile.Write(path, write.Image, flush: true);
                    File.Move(temp, path, overwrite: true);
                    restored++;
                    break;
                case Decision.KeepHandEdit:
                    LogHandEditKept(logger, group.Key);
                    kept++;
                    break;
            }
            touched.Add(path);
        }
        // Every file the journal names may exist only in the page cache of a process that died:
        // make them and their directories durable before the records that could restore them go.
        var files = touched.Where(File.Exists).ToList();
        foreach (var path in files.Concat(files.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal)))
        {
            DiskFlush.FlushPath(path);
        }
        journal.Reset();
        if (records.Count > 0)
        {
            LogReplayed(logger, records.Count, touched.Count, restored, kept);
        }
        return new JournalReplayResult(records.Count, restored, kept);
    }

    private static Decision Decide(string path, List<JournalRecord> records)
    {
        var deciding = records.LastOrDefault(r => r.Operation == JournalOperation.Replace) ?? records[0];
        byte[] current;
        try
        {
            current = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Decision.Write(deciding.Image);
        }
        if (current.AsSpan().SequenceEqual(deciding.Image))
        {
            return new Decision.Nothing();
        }
        if (!Parses(path, current))
        {
            return new Decision.Write(deciding.Image);
        }
        if (deciding.Operation == JournalOperation.CreateIfAbsent)
        {
            return new Decision.Nothing();
        }
        var hash = SHA256.HashData(current);
        var known = records.Any(r => r.Before is { } before && before.AsSpan().SequenceEqual(hash))
            || records.Any(r => r.Image.AsSpan().SequenceEqual(current));
        return known ? new Decision.Write(deciding.Image) : new Decision.KeepHandEdit();
    }

    /// <summary>Whether the bytes can be what a writer left whole: not empty, no NUL (a block the
    /// file system allocated but never wrote), and valid JSON for a <c>.json</c> file.</summary>
    private static bool Parses(string path, byte[] bytes)
    {
        if (bytes.Length == 0 || bytes.AsSpan().Contains((byte)0))
        {
            return false;
        }
        if (!path.EndsWith(".json", StringComparison.Ordinal))
        {
            return true;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The record's file inside the data directory; false for a path that leaves it.</summary>
    private static bool TryResolve(string dataDirectory, string relative, out string path)
    {
        path = Path.GetFullPath(Path.Combine(dataDirectory, relative));
        var root = dataDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return !Path.IsPathRooted(relative) && path.StartsWith(root, StringComparison.Ordinal);
    }

    private abstract record Decision
    {
        public sealed record Nothing : Decision;

        public sealed record Write(byte[] Image) : Decision;

        public sealed record KeepHandEdit : Decision;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal replay: {Path} was changed after the server's last write to it (a hand edit or a command); it is kept as it is")]
    private static partial void LogHandEditKept(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal replay: {Records} records for {Files} files; {Restored} files brought up to date, {Kept} changed by hand kept")]
    private static partial void LogReplayed(ILogger logger, int records, int files, int restored, int kept);
}
