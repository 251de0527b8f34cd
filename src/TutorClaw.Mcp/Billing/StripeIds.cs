namespace TutorClaw.Mcp.Billing;

/// <summary>Stripe ids we use as file names are checked to be plain tokens first.</summary>
public static class StripeIds
{
    public static bool IsSafeToken(string? id, string prefix) =>
        id is { Length: > 0 and <= 255 }
        && id.StartsWith(prefix, StringComparison.Ordinal)
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
