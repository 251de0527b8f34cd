namespace TutorClaw.Mcp.Webhooks;

/// <summary>Whether a <c>Stripe-Signature</c> header proved the body came from Stripe, and if not, why.</summary>
public enum StripeSignatureStatus
{
    /// <summary>One v1 signature matches one configured secret, and the timestamp is within tolerance.</summary>
    Valid,

    /// <summary>No header, or an empty one.</summary>
    MissingHeader,

    /// <summary>A v1 signature matches, but its <c>t</c> is not a number Stripe.net can read.</summary>
    Malformed,

    /// <summary>A v1 signature matches, but <c>|now − t|</c> exceeds the tolerance (replay or clock skew).</summary>
    TimestampOutsideTolerance,

    /// <summary>No v1 signature matches the body under any configured secret, or the header cannot be read.</summary>
    NoMatchingSignature,

    /// <summary>The request body is empty; Stripe never sends one.</summary>
    EmptyBody,

    /// <summary>No webhook signing secret is configured, so nothing can be verified.</summary>
    NoSecretConfigured,
}
