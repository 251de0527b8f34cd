namespace TutorClaw.Mcp.Storage;

/// <summary>One journaled write: the file (relative to the data directory), what to do, the
/// SHA-256 of the file's bytes before it (null: absent), and the file's new bytes in full.</summary>
public sealed record JournalRecord(JournalOperation Operation, string Path, byte[]? Before, byte[] Image);
