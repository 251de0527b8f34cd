namespace TutorClaw.Mcp.Storage;

/// <summary>What a journal record does to its file (the two operations of <see cref="IDurableWriter"/>).</summary>
public enum JournalOperation : byte
{
    /// <summary>The file becomes the image.</summary>
    Replace = 0,

    /// <summary>The file becomes the image unless it exists; an existing file stays as it is.</summary>
    CreateIfAbsent = 1,
}
