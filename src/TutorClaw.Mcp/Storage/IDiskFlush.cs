namespace TutorClaw.Mcp.Storage;

/// <summary>Makes everything written so far durable. Injected into <see cref="GroupCommitWriter"/>
/// so tests can count flushes and simulate a crash at the flush.</summary>
public interface IDiskFlush
{
    void Flush();
}
