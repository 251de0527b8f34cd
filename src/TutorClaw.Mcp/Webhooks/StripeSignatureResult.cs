namespace TutorClaw.Mcp.Webhooks;

/// <summary>
/// The outcome of checking a <c>Stripe-Signature</c> header. <see cref="Reason"/> is a fixed
/// sentence per status, safe to return in a 400 body or to log: it never contains the header,
/// a signature, the body or a secret.
/// </summary>
public readonly record struct StripeSignatureResult(StripeSignatureStatus Status)
{
    public bool IsValid => Status == StripeSignatureStatus.Valid;

    public string Reason => Status switch
    {
        StripeSignatureStatus.Valid => "The signature is valid.",
        StripeSignatureStatus.MissingHeader => "The Stripe-Signature header is missing.",
        StripeSignatureStatus.Malformed => "The Stripe-Signature header is malformed: its t= item must hold a whole number of seconds.",
        StripeSignatureStatus.TimestampOutsideTolerance => "The signature timestamp is outside the allowed tolerance.",
        StripeSignatureStatus.NoMatchingSignature => "No v1 signature in the Stripe-Signature header matches the request body.",
        StripeSignatureStatus.EmptyBody => "The request body is empty.",
        StripeSignatureStatus.NoSecretConfigured => "No webhook signing secret is configured.",
        _ => "The signature could not be verified.",
    };
}
