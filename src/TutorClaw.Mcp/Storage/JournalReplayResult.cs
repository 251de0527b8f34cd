namespace TutorClaw.Mcp.Storage;

/// <summary>What a replay did: records read, files written from the journal, hand edits kept.</summary>
public sealed record JournalReplayResult(int Records, int Restored, int KeptHandEdits);
