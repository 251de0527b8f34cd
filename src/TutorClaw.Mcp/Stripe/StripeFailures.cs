using System.Globalization;
using System.Text.RegularExpressions;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// Turns what went wrong into a <see cref="StripeFailure"/> whose message is one sentence an agent
/// can relay. Stripe's own text is quoted only where it helps (400/402/403/404) and always
/// scrubbed of anything shaped like a key; a 401 is never echoed, because Stripe's message for it
/// repeats (part of) the key that was sent.
/// </summary>
internal static partial class StripeFailures
{
    private const string SecretKeyName = ConfigurationKeys.StripeSecretKey;
    private const int MaxQuotedLength = 300;

    public static StripeFailure NotConfigured() => new(
        StripeFailureKind.Authentication,
        $"Stripe is not configured: {SecretKeyName} is not set.",
        Attempts: 0);

    public static StripeFailure KeyNotSendable() => new(
        StripeFailureKind.Authentication,
        $"{SecretKeyName} contains characters that cannot be sent to Stripe; set it to the key exactly as the Dashboard shows it.",
        Attempts: 0);

    public static StripeFailure Unreachable(int attempts) => new(
        StripeFailureKind.Unreachable,
        $"Could not reach Stripe ({Attempts(attempts)}); check the network and {ConfigurationKeys.StripeApiBase}, then try again.",
        Attempts: attempts);

    public static StripeFailure Timeout(TimeSpan perAttempt, int attempts) => new(
        StripeFailureKind.Timeout,
        $"Stripe did not answer within {perAttempt.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s ({Attempts(attempts)}); try again in a little while.",
        Attempts: attempts);

    /// <summary>A 2xx answer whose body Stripe.net could not read as the object asked for.</summary>
    public static StripeFailure Unreadable(int status, string? requestId, int attempts) => new(
        StripeFailureKind.ServerError,
        $"Stripe answered HTTP {status}, but the response could not be read.",
        status,
        RequestId: requestId,
        Attempts: attempts);

    /// <summary>A non-2xx answer, as Stripe.net reports it: status plus Stripe's error object, if
    /// the body held one. The exception's own message is never used whole: for a 401 it repeats
    /// (part of) the key, and for an unreadable body it quotes the body.</summary>
    public static StripeFailure FromException(global::Stripe.StripeException exception, int attempts, string? secretKey)
    {
        var status = (int)exception.HttpStatusCode;
        var requestId = exception.StripeResponse?.RequestId;
        if (status is >= 200 and < 300)
        {
            return Unreadable(status, requestId, attempts);
        }
        var error = exception.StripeError;
        var kind = Classify(status, error?.Type, error?.Code);
        var detail = Quote(error?.Message, secretKey);
        var message = kind switch
        {
            StripeFailureKind.Authentication =>
                $"Stripe rejected the secret key (HTTP {status}); check that {SecretKeyName} holds a valid, active key for this account.",
            StripeFailureKind.Permission =>
                $"The key in {SecretKeyName} lacks a permission this request needs (HTTP {status}){detail}",
            StripeFailureKind.InvalidRequest =>
                $"Stripe rejected the request (HTTP {status}){detail}",
            StripeFailureKind.Idempotency =>
                $"Stripe refused to reuse an Idempotency-Key for a different request (HTTP {status}){detail}",
            StripeFailureKind.Card =>
                $"Stripe declined the payment (HTTP {status}){detail}",
            StripeFailureKind.RateLimited =>
                $"Stripe is rate-limiting requests (HTTP {status}, {Attempts(attempts)}); try again in a little while.",
            _ =>
                $"Stripe could not handle the request (HTTP {status}, {Attempts(attempts)}); try again later.",
        };
        return new StripeFailure(
            kind,
            message,
            status,
            Scrub(error?.Type, secretKey),
            Scrub(error?.Code, secretKey),
            Scrub(error?.Param, secretKey),
            requestId,
            attempts);
    }

    /// <summary>How stripe-node classifies an error status (cjs/Error.js generateV1Error).</summary>
    public static StripeFailureKind Classify(int status, string? type, string? code) => status switch
    {
        401 => StripeFailureKind.Authentication,
        402 => StripeFailureKind.Card,
        403 => StripeFailureKind.Permission,
        429 => StripeFailureKind.RateLimited,
        400 when code == "rate_limit" => StripeFailureKind.RateLimited,
        400 or 404 when type == "idempotency_error" => StripeFailureKind.Idempotency,
        400 or 404 => StripeFailureKind.InvalidRequest,
        _ => StripeFailureKind.ServerError,
    };

    /// <summary>Removes anything shaped like a Stripe key or webhook secret, and the configured key
    /// itself, from text that came from outside.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Scrub(string? text, string? secretKey)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        if (!string.IsNullOrEmpty(secretKey))
        {
            text = text.Replace(secretKey, "[redacted]", StringComparison.Ordinal);
        }
        return KeyShaped().Replace(text, "[redacted]");
    }

    private static string Quote(string? stripeMessage, string? secretKey)
    {
        var text = Scrub(stripeMessage, secretKey);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ".";
        }
        text = Whitespace().Replace(text, " ").Trim();
        if (text.Length > MaxQuotedLength)
        {
            text = text[..MaxQuotedLength].TrimEnd() + "…";
        }
        return text.EndsWith('.') || text.EndsWith('…') ? $": {text}" : $": {text}.";
    }

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    // sk_/rk_/pk_ keys (test, live, or bare), masked forms such as sk_test_****1234, and whsec_ secrets.
    [GeneratedRegex(@"\b(?:sk|rk|pk)_[A-Za-z0-9_*]+|\bwhsec_[A-Za-z0-9_*+/=]+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
