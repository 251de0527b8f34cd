namespace TutorClaw.Mcp.Storage;

/// <summary>Makes the given files and directories durable, all of them before returning.
/// Injected into <see cref="GroupCommitWriter"/> and <see cref="JournalWriter"/> (its checkpoints)
/// so tests can count flushes and simulate a crash at the flush.</summary>
public interface IDiskFlush
{
    void Flush(IReadOnlyList<string> paths);
}
