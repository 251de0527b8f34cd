namespace TutorClaw.Mcp.Webhooks;

/// <summary>Whether a <c>Stripe-Signature</c> header proved the body came from Stripe, and if not, why.</summary>
public enum StripeSignatureStatus
{
    /// <summary>One v1 signature matches one configured secret, and the timestamp is within tolerance.</summary>
    Valid,

    /// <summary>No header, or an empty one.</summary>
    MissingHeader,

    /// <summary>The header has no <c>t</c>, more than one <c>t</c>, or a <c>t</c> that is not a whole number.</summary>
    Malformed,

    /// <summary>The header has a timestamp but no <c>v1</c> item (a <c>v0</c>-only header, or items with spaces).</summary>
    NoV1Signature,

    /// <summary>A v1 signature matches, but <c>|now − t|</c> exceeds the tolerance (replay or clock skew).</summary>
    TimestampOutsideTolerance,

    /// <summary>No v1 signature matches the body under any configured secret.</summary>
    NoMatchingSignature,

    /// <summary>The request body is empty; Stripe never sends one.</summary>
    EmptyBody,

    /// <summary>No webhook signing secret is configured, so nothing can be verified.</summary>
    NoSecretConfigured,
}
