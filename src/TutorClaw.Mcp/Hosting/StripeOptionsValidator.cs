using Microsoft.Extensions.Options;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// Shape checks of SPEC §2. Each failure names the variable and what was expected, never the
/// value. An unset key is the valid "not configured" state, not a failure.
/// </summary>
public sealed class StripeOptionsValidator(SettingsProblems problems) : IValidateOptions<StripeOptions>
{
    private static readonly string[] SecretKeyPrefixes = ["sk_test_", "sk_live_", "rk_"];

    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = problems.All.Where(p => p.StartsWith("STRIPE_", StringComparison.Ordinal)).ToList();

        if (options.SecretKey is { } key && !SecretKeyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
        {
            failures.Add(key.StartsWith("pk_", StringComparison.Ordinal)
                ? $"{ConfigurationKeys.StripeSecretKey} holds a publishable key (pk_…); it must be a secret key (sk_test_…, sk_live_…) or a restricted key (rk_…)."
                : $"{ConfigurationKeys.StripeSecretKey} must be a secret key (sk_test_…, sk_live_…) or a restricted key (rk_…).");
        }
        if (options.PaidPriceId is { } price && !price.StartsWith("price_", StringComparison.Ordinal))
        {
            failures.Add($"{ConfigurationKeys.StripePriceIdPaid} must be a price id (price_…); a product id (prod_…) is not enough.");
        }
        if (options.WebhookSecrets.Any(s => !s.StartsWith("whsec_", StringComparison.Ordinal) || s.Length <= "whsec_".Length))
        {
            failures.Add($"{ConfigurationKeys.StripeWebhookSecret} must be one or more comma-separated signing secrets, each starting with whsec_.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
