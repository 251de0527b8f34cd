using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// Checks a <c>Stripe-Signature</c> header against the raw request body, as Stripe specifies
/// (shared/stripe/README.md §1):
/// <list type="bullet">
/// <item>The header is comma-separated <c>key=value</c> items, split at the first <c>=</c>.
/// Items are <b>not trimmed</b> (as stripe-node; Stripe.net trims): Stripe never sends spaces,
/// so <c>t=…, v1=…</c> has a key <c>" v1"</c>, which is unknown, and fails as
/// <see cref="StripeSignatureStatus.NoV1Signature"/>. Being strict costs nothing for real
/// deliveries and keeps one reading of the header.</item>
/// <item>Exactly one <c>t</c> holding only ASCII digits; a missing, repeated or non-numeric
/// <c>t</c> is <see cref="StripeSignatureStatus.Malformed"/>.</item>
/// <item>Any number of <c>v1</c> items, any of which may match. <c>v0</c>, other keys and items
/// without <c>=</c> are ignored.</item>
/// <item>Expected signature = lowercase hex of HMAC-SHA256, keyed with the UTF-8 bytes of the
/// whole secret (<c>whsec_</c> prefix included), over the ASCII bytes of <c>"{t}."</c> (t as
/// sent) followed by the body bytes exactly as received. Compared in constant time; uppercase
/// hex does not match.</item>
/// <item>Several configured secrets (rotation): any may match.</item>
/// <item>Tolerance is two-sided, as Stripe.net: rejected when <c>|now − t| &gt; 300 s</c>, so a
/// timestamp far in the future is rejected too (stripe-node would accept it).</item>
/// </list>
/// The HMAC is checked before the timestamp (as stripe-node and Stripe.net do), so
/// <see cref="StripeSignatureStatus.TimestampOutsideTolerance"/> is only reported for a
/// delivery that really was signed with one of our secrets.
/// </summary>
public sealed class StripeSignatureVerifier
{
    /// <summary>Stripe's default in every official library.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private const int Sha256Bytes = 32;
    private const int SignatureHexChars = Sha256Bytes * 2;

    // A Unix time in seconds fits in 19 digits (long). Longer t values (leading zeros) are refused.
    private const int MaxTimestampDigits = 19;

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;

    public StripeSignatureVerifier(IOptions<StripeOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _keys = KeysFrom(options.Value.WebhookSecrets);
        _time = timeProvider;
    }

    /// <summary>Verifies with the configured secrets, the injected clock and <see cref="Tolerance"/>.</summary>
    public StripeSignatureResult Verify(ReadOnlySpan<byte> body, string? header) =>
        VerifyCore(body, header, _keys, _time.GetUtcNow().ToUnixTimeSeconds(), (long)Tolerance.TotalSeconds);

    /// <summary>
    /// Verifies with explicit secrets (used as given, not trimmed; blank ones are skipped), clock and
    /// tolerance. For tests; the server always uses the instance method.
    /// </summary>
    internal static StripeSignatureResult Verify(
        ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        return VerifyCore(body, header, KeysFrom(secrets), now.ToUnixTimeSeconds(), (long)tolerance.TotalSeconds);
    }

    private static byte[][] KeysFrom(IReadOnlyList<string> secrets)
    {
        var count = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(secrets[i]))
            {
                count++;
            }
        }
        var keys = new byte[count][];
        var next = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(secrets[i]))
            {
                keys[next++] = Encoding.UTF8.GetBytes(secrets[i]);
            }
        }
        return keys;
    }

    private static StripeSignatureResult VerifyCore(
        ReadOnlySpan<byte> body, string? header, byte[][] keys, long nowSeconds, long toleranceSeconds)
    {
        if (keys.Length == 0)
        {
            return new(StripeSignatureStatus.NoSecretConfigured);
        }
        if (string.IsNullOrEmpty(header))
        {
            return new(StripeSignatureStatus.MissingHeader);
        }
        if (body.IsEmpty)
        {
            return new(StripeSignatureStatus.EmptyBody);
        }

        var parsed = ParseHeader(header, out var timestampText, out var timestamp);
        if (parsed != StripeSignatureStatus.Valid)
        {
            return new(parsed);
        }

        // "{t}." as ASCII; t is known to be 1..19 ASCII digits here.
        Span<byte> prefix = stackalloc byte[MaxTimestampDigits + 1];
        var prefixLength = Encoding.ASCII.GetBytes(timestampText, prefix);
        prefix[prefixLength++] = (byte)'.';

        Span<byte> mac = stackalloc byte[Sha256Bytes];
        Span<char> expected = stackalloc char[SignatureHexChars];
        var matched = false;
        foreach (var key in keys)
        {
            using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key))
            {
                hmac.AppendData(prefix[..prefixLength]);
                hmac.AppendData(body);
                hmac.GetHashAndReset(mac);
            }
            Convert.TryToHexStringLower(mac, expected, out _);
            if (AnyV1Matches(header, expected))
            {
                matched = true;
                break;
            }
        }
        if (!matched)
        {
            return new(StripeSignatureStatus.NoMatchingSignature);
        }

        // t is non-negative and at most long.MaxValue, so the difference cannot overflow for any
        // real clock; Math.Abs makes the window two-sided.
        return Math.Abs(nowSeconds - timestamp) > toleranceSeconds
            ? new(StripeSignatureStatus.TimestampOutsideTolerance)
            : new(StripeSignatureStatus.Valid);
    }

    /// <summary>
    /// Finds the single <c>t</c> and checks that at least one <c>v1</c> exists. Returns
    /// <see cref="StripeSignatureStatus.Valid"/> when the header is usable.
    /// </summary>
    private static StripeSignatureStatus ParseHeader(string header, out ReadOnlySpan<char> timestampText, out long timestamp)
    {
        timestampText = default;
        timestamp = 0;
        var timestampCount = 0;
        var hasV1 = false;
        var rest = header.AsSpan();
        while (NextItem(ref rest, out var key, out var value))
        {
            if (key is "t")
            {
                timestampCount++;
                timestampText = value;
            }
            else if (key is "v1")
            {
                hasV1 = true;
            }
        }

        if (timestampCount != 1
            || timestampText.IsEmpty
            || timestampText.Length > MaxTimestampDigits
            // NumberStyles.None: digits only — no sign, no spaces, no separators.
            || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
        {
            return StripeSignatureStatus.Malformed;
        }
        return hasV1 ? StripeSignatureStatus.Valid : StripeSignatureStatus.NoV1Signature;
    }

    /// <summary>
    /// Compares every v1 value with the expected hex in constant time. The char spans are compared
    /// as their UTF-16 bytes, so a non-ASCII character can never alias a hex digit; a value of
    /// another length fails at once (its length is not a secret).
    /// </summary>
    private static bool AnyV1Matches(string header, ReadOnlySpan<char> expected)
    {
        var expectedBytes = MemoryMarshal.AsBytes(expected);
        var rest = header.AsSpan();
        while (NextItem(ref rest, out var key, out var value))
        {
            if (key is "v1"
                && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(value), expectedBytes))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Takes the next comma-separated item off <paramref name="rest"/> and splits it at its first
    /// <c>=</c>. Nothing is trimmed. Items without <c>=</c> come back with an empty key, which
    /// matches nothing, so they are ignored like unknown keys.
    /// </summary>
    private static bool NextItem(scoped ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        if (rest.IsEmpty)
        {
            key = default;
            value = default;
            return false;
        }
        var comma = rest.IndexOf(',');
        var item = comma < 0 ? rest : rest[..comma];
        rest = comma < 0 ? default : rest[(comma + 1)..];

        var equals = item.IndexOf('=');
        key = equals < 0 ? default : item[..equals];
        value = equals < 0 ? default : item[(equals + 1)..];
        return true;
    }
}
