namespace TutorClaw.Mcp.Webhooks;

/// <summary>The webhook's body limit.</summary>
public static class WebhookBody
{
    /// <summary>SPEC §5: 1 MiB. Stripe's events are a few KiB.</summary>
    public const int MaxBytes = 1024 * 1024;
}
