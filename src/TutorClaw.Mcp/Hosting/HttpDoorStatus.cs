namespace TutorClaw.Mcp.Hosting;

/// <summary>Why the HTTP door could not open, when that stops the process (not in --stdio mode).</summary>
public sealed class HttpDoorStatus
{
    public string? Failure { get; private set; }

    public void Fail(string reason) => Failure ??= reason;
}
