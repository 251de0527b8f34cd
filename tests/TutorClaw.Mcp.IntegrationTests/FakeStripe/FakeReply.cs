namespace TutorClaw.Mcp.IntegrationTests.FakeStripe;

/// <summary>An answer the fake is about to send: status, JSON body (or none) and extra headers.</summary>
internal sealed record FakeReply(int Status, string? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
