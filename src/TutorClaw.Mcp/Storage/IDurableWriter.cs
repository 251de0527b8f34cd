namespace TutorClaw.Mcp.Storage;

/// <summary>
/// Crash-safe whole-file writes for the file store. A returned task means the bytes are durable
/// (they survive kill -9 and a power cut); until then a crash leaves the old file or the new one,
/// never a torn one. Writes that are not yet durable are never reported as done.
/// </summary>
public interface IDurableWriter
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing what is there.</summary>
    Task ReplaceAsync(string path, byte[] bytes);

    /// <summary>As <see cref="ReplaceAsync"/>, for a caller that holds the file's lock and has just
    /// read its <paramref name="current"/> bytes: a writer that needs them (the journal records a
    /// hash of what it replaces) need not read the file again.</summary>
    Task ReplaceReadAsync(string path, byte[] bytes, byte[] current) => ReplaceAsync(path, bytes);

    /// <summary>Runs two independent pieces of work side by side (see <see cref="IStore.WriteSideBySideAsync"/>);
    /// a writer that can commit their writes together does.</summary>
    Task WriteSideBySideAsync(Func<Task> first, Func<Task> second) => SideBySide.RunAsync(first, second);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> only if nothing is there
    /// yet; false if something already is. Atomic against other writers, in-process or not. On
    /// false the existing file is durable too.</summary>
    Task<bool> TryCreateAsync(string path, byte[] bytes);
}
