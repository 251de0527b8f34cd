using System.Text;
using Microsoft.Extensions.Options;
using Stripe;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// Checks a <c>Stripe-Signature</c> header with Stripe.net's
/// <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/>, once per
/// configured secret (rotation: any may match), at the injected clock's time, with the library's
/// 300 s tolerance (two-sided: a timestamp far in the future is refused too).
/// </summary>
/// <remarks>
/// The library reads the body as a string and signs its UTF-8 bytes, so a body that is not valid
/// UTF-8 cannot be the bytes Stripe signed and is refused here. The library trims the header's
/// items, so <c>t=…, v1=…</c> is accepted (Stripe never sends spaces).
/// </remarks>
public sealed class StripeSignatureVerifier
{
    /// <summary>Stripe's default in every official library.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(EventUtility.DefaultTimeTolerance);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IReadOnlyList<string> _secrets;
    private readonly TimeProvider _time;

    public StripeSignatureVerifier(IOptions<StripeOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _secrets = options.Value.WebhookSecrets;
        _time = timeProvider;
    }

    /// <summary>Verifies with the configured secrets, the injected clock and <see cref="Tolerance"/>.
    /// On success <paramref name="json"/> holds the body as text for parsing.</summary>
    public StripeSignatureResult Verify(ReadOnlySpan<byte> body, string? header, out string? json) =>
        Verify(body, header, _secrets, _time.GetUtcNow(), Tolerance, out json);

    /// <summary>Verifies with explicit secrets (used as given; blank ones are skipped), clock and tolerance.</summary>
    internal static StripeSignatureResult Verify(
        ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance, out string? json)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        json = null;
        var usable = secrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (usable.Count == 0)
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
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return new(StripeSignatureStatus.NoMatchingSignature);
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        var status = StripeSignatureStatus.NoMatchingSignature;
        foreach (var secret in usable)
        {
            switch (Check(text, header, secret, (long)tolerance.TotalSeconds, nowSeconds))
            {
                case StripeSignatureStatus.Valid:
                    json = text;
                    return new(StripeSignatureStatus.Valid);
                case StripeSignatureStatus.TimestampOutsideTolerance:
                    status = StripeSignatureStatus.TimestampOutsideTolerance;
                    break;
                case StripeSignatureStatus.Malformed when status == StripeSignatureStatus.NoMatchingSignature:
                    status = StripeSignatureStatus.Malformed;
                    break;
            }
        }
        return new(status);
    }

    private static StripeSignatureStatus Check(string json, string header, string secret, long tolerance, long now)
    {
        try
        {
            EventUtility.ValidateSignature(json, header, secret, tolerance, now);
            return StripeSignatureStatus.Valid;
        }
        catch (StripeException)
        {
            // Signed with this secret but refused? Then only the time can be wrong: with no limit
            // on the time the same check passes.
            return SignedWith(json, header, secret, now)
                ? StripeSignatureStatus.TimestampOutsideTolerance
                : StripeSignatureStatus.NoMatchingSignature;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            // The signature matched, but t is not a number the library can read.
            return StripeSignatureStatus.Malformed;
        }
    }

    private static bool SignedWith(string json, string header, string secret, long now)
    {
        try
        {
            EventUtility.ValidateSignature(json, header, secret, long.MaxValue, now);
            return true;
        }
        catch (Exception e) when (e is StripeException or FormatException or OverflowException)
        {
            return false;
        }
    }
}
