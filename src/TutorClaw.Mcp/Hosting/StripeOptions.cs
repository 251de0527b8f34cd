namespace TutorClaw.Mcp.Hosting;

/// <summary>Everything needed to talk to Stripe and to trust what Stripe sends us.</summary>
public sealed class StripeOptions
{
    /// <summary>The API version every request pins, so response shapes cannot drift under us.</summary>
    public const string PinnedApiVersion = "2026-10-28.endive";

    public string? SecretKey { get; set; }
    public string? PaidPriceId { get; set; }

    /// <summary>TUTORCLAW_BILLING_MODE: how the paid price must be sold; null lets the price decide
    /// (recurring: subscription, one-time: payment). Checked against the price, never trusted over it.</summary>
    public Stripe.CheckoutMode? BillingMode { get; set; }
    public IReadOnlyList<string> WebhookSecrets { get; set; } = [];
    public Uri ApiBase { get; set; } = new("https://api.stripe.com");

    /// <summary>Extra attempts after the first on retryable failures, made by Stripe.net itself
    /// (its default is 2; it backs off from 0.5 s up to 5 s with jitter).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

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
