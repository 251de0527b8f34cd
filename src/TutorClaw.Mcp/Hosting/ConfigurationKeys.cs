namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// The flat variable names of SPEC §2. They are the names Stripe's docs and the TutorClaw
/// lessons use, so they are the configuration keys everywhere (environment, .env, appsettings.json).
/// </summary>
public static class ConfigurationKeys
{
    public const string StripeSecretKey = "STRIPE_SECRET_KEY";
    public const string StripePriceIdPaid = "STRIPE_PRICE_ID_PAID";
    public const string StripeWebhookSecret = "STRIPE_WEBHOOK_SECRET";
    public const string StripeApiBase = "STRIPE_API_BASE";
    public const string DataDir = "TUTORCLAW_DATA_DIR";
    public const string StoreCommit = "TUTORCLAW_STORE_COMMIT";
    public const string PublicUrl = "TUTORCLAW_PUBLIC_URL";
    public const string McpToken = "TUTORCLAW_MCP_TOKEN";
    public const string McpStateful = "TUTORCLAW_MCP_STATEFUL";
    public const string FreeChapters = "TUTORCLAW_FREE_CHAPTERS";
    public const string PastDueGraceDays = "TUTORCLAW_PAST_DUE_GRACE_DAYS";
    public const string BillingMode = "TUTORCLAW_BILLING_MODE";
    public const string ReconcileMinutes = "TUTORCLAW_RECONCILE_MINUTES";
    public const string Urls = "TUTORCLAW_URLS";
    public const string DefaultRegion = "TUTORCLAW_DEFAULT_REGION";
    public const string LogFormat = "TUTORCLAW_LOG_FORMAT";

    /// <summary>OpenTelemetry's own variable; the OTLP exporter reads it (and its OTEL_EXPORTER_OTLP_* siblings) itself.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProductName = "TUTORCLAW_PRODUCT_NAME";
    public const string DatabaseUrl = "TUTORCLAW_DATABASE_URL";
}
