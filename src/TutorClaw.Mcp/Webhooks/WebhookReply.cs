namespace TutorClaw.Mcp.Webhooks;

/// <summary>The small JSON body /webhook answers with. Stripe only looks at the status code; the
/// text is for a person reading the Stripe Dashboard's delivery log.</summary>
public sealed record WebhookReply(bool Received, string Detail);
