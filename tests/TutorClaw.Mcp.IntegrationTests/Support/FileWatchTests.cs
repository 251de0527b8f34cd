namespace TutorClaw.Mcp.IntegrationTests.Support;

public sealed class FileWatchTests
{
    /// <summary>
    /// The working directory holds ./data; a watcher on it wakes on every learner write. Linux
    /// shows a process's inotify instances as anon_inode:inotify descriptors.
    /// </summary>
    [Fact]
    public async Task The_server_watches_no_files()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>());

        var descriptors = Directory.GetFiles($"/proc/{server.ProcessId}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .ToList();

        Assert.DoesNotContain(descriptors, target => target is not null && target.Contains("inotify", StringComparison.Ordinal));
    }
}
