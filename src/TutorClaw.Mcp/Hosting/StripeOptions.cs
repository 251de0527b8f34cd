namespace TutorClaw.Mcp.Hosting;

/// <summary>Everything needed to talk to Stripe and to trust what Stripe sends us.</summary>
public sealed class StripeOptions
{
    /// <summary>The API version every request pins, so response shapes cannot drift under us.</summary>
    public const string PinnedApiVersion = "2026-10-28.endive";

    public string? SecretKey { get; set; }
    public string? PaidPriceId { get; set; }
    public IReadOnlyList<string> WebhookSecrets { get; set; } = [];
    public Uri ApiBase { get; set; } = new("https://api.stripe.com");

    /// <summary>Extra attempts after the first on retryable failures (Stripe's libraries use 2).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>First retry delay; doubles per retry up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per attempt. Stripe's libraries use 80 s; an agent waiting in a chat cannot, so we use less.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => SecretKey is not null && PaidPriceId is not null;

    public StripeMode Mode => SecretKey switch
    {
        null => StripeMode.NotConfigured,
        _ when PaidPriceId is null => StripeMode.NotConfigured,
        _ when SecretKey.StartsWith("sk_live_", StringComparison.Ordinal)
            || SecretKey.StartsWith("rk_live_", StringComparison.Ordinal) => StripeMode.Live,
        _ => StripeMode.Test,
    };

    public bool CanVerifyWebhooks => WebhookSecrets.Count > 0;
}
