using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Hosting;

public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = Path.GetFullPath("data");

    /// <summary>Group commit unless <c>TUTORCLAW_STORE_COMMIT=per-write</c> asks for the naive
    /// design the load tool compares against.</summary>
    public StoreCommit Commit { get; set; } = StoreCommit.Group;
}
