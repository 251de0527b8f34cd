using System.ComponentModel;

namespace TutorClaw.Mcp.Tools;

/// <summary>get_upgrade_url's answer.</summary>
[Description("The learner's payment link for the paid tier.")]
public sealed record UpgradeUrl(
    string LearnerId,
    [property: Description("The learner's own payment link, which never expires: send exactly this to the learner.")] string Url,
    [property: Description("The Stripe Checkout page url opens now; it expires at expires_at, so send url instead.")] string CheckoutUrl,
    string SessionId,
    DateTimeOffset ExpiresAt,
    [property: Description("True when the learner's open Checkout Session was returned again rather than a new one made.")] bool Reused,
    string Message);
