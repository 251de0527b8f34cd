namespace TutorClaw.Mcp.Storage;

/// <summary>Two independent pieces of work run at once, the first on a pool thread, both finished
/// (whatever either throws) before the returned task completes.</summary>
public static class SideBySide
{
    public static Task RunAsync(Func<Task> first, Func<Task> second)
    {
        var running = Task.Run(first);
        Task other;
        try
        {
            other = second();
        }
        catch (Exception e)
        {
            other = Task.FromException(e);
        }
        return Task.WhenAll(running, other);
    }
}
