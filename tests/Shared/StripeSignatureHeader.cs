using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TutorClaw.Mcp.TestSupport;

/// <summary>
/// Builds <c>Stripe-Signature</c> headers the way Stripe does, deliberately written apart from
/// the server's verifier (plain arrays, one-shot HMAC) so that a test signing with this and
/// verifying with that checks one implementation against another.
/// </summary>
public static class StripeSignatureHeader
{
    /// <summary><c>t={timestamp},v1={lowercase hex HMAC-SHA256(UTF-8(secret), "{timestamp}." + payload)}</c>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> payload) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Signature(secret, timestamp, payload)}";

    /// <summary>Just the v1 value: lowercase hex, 64 characters.</summary>
    public static string Signature(string secret, long timestamp, ReadOnlySpan<byte> payload)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
