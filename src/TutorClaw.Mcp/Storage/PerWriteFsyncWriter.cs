namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The naive design, kept only so the load tool can compare against it
/// (<c>TUTORCLAW_STORE_COMMIT=per-write</c>): every write is its own temporary file, fsync and
/// rename, as the tutorial's server does it; no directory flush, so a power cut may lose a
/// rename. Never the default.
/// </summary>
public sealed class PerWriteFsyncWriter : IDurableWriter
{
    public Task ReplaceAsync(string path, byte[] bytes)
    {
        var temp = TemporaryFile.Write(path, bytes, flush: true);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception)
        {
            TemporaryFile.TryDelete(temp);
            throw;
        }
        return Task.CompletedTask;
    }

    public Task<bool> TryCreateAsync(string path, byte[] bytes)
    {
        if (File.Exists(path))
        {
            return Task.FromResult(false);
        }
        var temp = TemporaryFile.Write(path, bytes, flush: true);
        try
        {
            return Task.FromResult(FileSystemCalls.LinkIfAbsent(temp, path));
        }
        finally
        {
            TemporaryFile.TryDelete(temp);
        }
    }
}
