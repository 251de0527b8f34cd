namespace TutorClaw.Mcp.Hosting;

public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = Path.GetFullPath("data");
}
