namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The temporary files of a durable write: <c>&lt;target&gt;.tmp-&lt;guid&gt;</c>, in the target's
/// directory so the rename stays within one file system. Readers never open them; one left by a
/// crash carries nothing the real file lacks (its write was never acknowledged).
/// <para>The journal writer also keeps one spare per learner document,
/// <c>&lt;target&gt;.tmp-spare</c>: the previous version's file, which the next update overwrites
/// and swaps into place (see <see cref="JournalWriter"/>), so an update neither creates nor deletes
/// a file.</para>
/// </summary>
public static class TemporaryFile
{
    private const string Marker = ".tmp-";

    public static bool IsTemporary(string path) => Path.GetFileName(path).Contains(Marker, StringComparison.Ordinal);

    /// <summary>The spare file of <paramref name="path"/>.</summary>
    public static string SpareOf(string path) => path + Marker + "spare";

    /// <summary>Overwrites (or creates) the spare of <paramref name="path"/> with the bytes, not
    /// flushed, and returns its path. Only for a writer that holds the target's lock.</summary>
    public static string WriteSpare(string path, byte[] bytes)
    {
        var spare = SpareOf(path);
        using var handle = File.OpenHandle(spare, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, bytes, 0);
        if (RandomAccess.GetLength(handle) != bytes.Length)
        {
            RandomAccess.SetLength(handle, bytes.Length);
        }
        return spare;
    }

    /// <summary>Writes the bytes to a new temporary file beside <paramref name="path"/>, flushed to
    /// the disk only when <paramref name="flush"/> (otherwise the caller flushes later).</summary>
    public static string Write(string path, byte[] bytes, bool flush)
    {
        var temp = path + Marker + Guid.NewGuid().ToString("N");
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
            stream.Flush(flushToDisk: flush);
        }
        catch (Exception)
        {
            TryDelete(temp);
            throw;
        }
        return temp;
    }

    public static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Leftover temporary files are harmless: readers never open them.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above: a read-only directory keeps the temp file; the target is unchanged.
        }
    }
}
