namespace TutorClaw.Mcp.Storage;

/// <summary>How the file store makes writes durable (<c>TUTORCLAW_STORE_COMMIT</c>).</summary>
public enum StoreCommit
{
    /// <summary>The default: many writes share one flush of the write-ahead journal (<see cref="JournalWriter"/>).</summary>
    Group,

    /// <summary>The naive per-write fsync, for the load tool's comparison only (<see cref="PerWriteFsyncWriter"/>).</summary>
    PerWrite,
}
