namespace TutorClaw.Mcp.Storage;

/// <summary>The file store's check: healthy while every directory of the store accepts writes (a
/// full or read-only disk means webhooks will answer 500 and Stripe will retry). Each directory is
/// probed, not just the root: learner documents, payment-intent bindings and the unmatched log live
/// in directories of their own, and one of them can refuse writes while the root accepts them
/// (chattr +i, a mount).</summary>
public static class FileStoreHealth
{
    public static StoreHealth Check(string dataDirectory)
    {
        string[] directories;
        try
        {
            directories = [dataDirectory, .. Directory.EnumerateDirectories(dataDirectory)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StoreHealth.Unhealthy("The data directory cannot be read.");
        }
        foreach (var directory in directories)
        {
            if (!AcceptsWrites(directory))
            {
                return StoreHealth.Unhealthy($"The data directory does not accept writes ({Path.GetFileName(directory)}).");
            }
        }
        return StoreHealth.Healthy;
    }

    private static bool AcceptsWrites(string directory)
    {
        var probe = Path.Combine(directory, $".health-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
