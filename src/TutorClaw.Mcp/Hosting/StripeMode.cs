namespace TutorClaw.Mcp.Hosting;

public enum StripeMode
{
    NotConfigured,
    Test,
    Live,
}

public static class StripeModeExtensions
{
    /// <summary>The words used in the startup log line and in /health.</summary>
    public static string Describe(this StripeMode mode) => mode switch
    {
        StripeMode.Test => "test",
        StripeMode.Live => "live",
        _ => "not configured",
    };
}
