namespace TutorClaw.Mcp.Hosting;

/// <summary>One setting as <c>--help</c> lists it.</summary>
public sealed record Setting(string Variable, string Meaning, string Default);

/// <summary>Every setting the server reads, for <c>--help</c> (the README's configuration table says the same).</summary>
public static class Settings
{
    public static readonly IReadOnlyList<Setting> All =
    [
        new(ConfigurationKeys.StripeSecretKey, "Stripe secret key sk_test_…, sk_live_… or restricted rk_…", "unset: Stripe features answer \"not configured\""),
        new(ConfigurationKeys.StripePriceIdPaid, "price_… of the paid tier", "unset: as above"),
        new(ConfigurationKeys.StripeWebhookSecret, "whsec_…; several, comma-separated, while rotating", "unset: /webhook answers 503"),
        new(ConfigurationKeys.StripeApiBase, "Stripe API base URL", "https://api.stripe.com"),
        new(ConfigurationKeys.DataDir, "root of the file-backed repository", "./data"),
        new(ConfigurationKeys.StoreCommit, "file store commit mode: group (the default), or per-write, kept only for the load tool's comparison", "group"),
        new(ConfigurationKeys.DatabaseUrl, "PostgreSQL store: an Npgsql connection string or postgres://user:password@host:port/database", "unset: the file store"),
        new(ConfigurationKeys.PublicUrl, "base of the success and cancel URLs handed to Stripe", "http://localhost:8000"),
        new(ConfigurationKeys.McpToken, "bearer token required by /mcp and by /metrics beyond loopback", "unset: loopback clients only"),
        new(ConfigurationKeys.McpStateful, "true: stateful /mcp sessions (Mcp-Session-Id, DELETE, 30 min idle timeout)", "false: stateless"),
        new(ConfigurationKeys.FreeChapters, "chapters a free learner may open", "5"),
        new(ConfigurationKeys.BillingMode, "payment or subscription: how the paid price is sold; must match the price (one-time or recurring)", "unset: decided by the price"),
        new(ConfigurationKeys.PastDueGraceDays, "days a monthly plan whose payment failed stays paid, from the first failed invoice", "3"),
        new(ConfigurationKeys.ReconcileMinutes, "minutes between catch-up runs against Stripe's event log; 0 = off", "15"),
        new(ConfigurationKeys.Urls, "listen address(es); --urls beats it, it beats ASPNETCORE_URLS", ServerOptions.DefaultUrls),
        new(ConfigurationKeys.DefaultRegion, "two-letter region (GB, US…) for phone numbers written in national format", "unset: phones need their country code"),
        new(ConfigurationKeys.ProductName, "the name the learner's pages show; at most 60 characters", "TutorClaw"),
        new(ConfigurationKeys.LogFormat, "console log format on stderr: text or json", "text"),
        new(ConfigurationKeys.OtlpEndpoint, "OpenTelemetry collector to push metrics to (OTLP)", "unset: /metrics only"),
    ];
}
