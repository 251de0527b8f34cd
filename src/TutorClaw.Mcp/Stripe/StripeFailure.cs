namespace TutorClaw.Mcp.Stripe;

/// <summary>
/// What went wrong talking to Stripe. <see cref="Message"/> is one sentence safe to show an agent
/// or a log: it never holds the secret key (Stripe's own text is included only where it cannot).
/// </summary>
public sealed record StripeFailure(
    StripeFailureKind Kind,
    string Message,
    int? HttpStatus = null,
    string? StripeErrorType = null,
    string? Code = null,
    string? Param = null,
    string? RequestId = null,
    int Attempts = 1)
{
    /// <summary>Only whoever runs the server can fix this (the key, the price id, a permission);
    /// a learner should be told something neutral, and the operator this message.</summary>
    public bool NeedsOperator => Kind is StripeFailureKind.Authentication or StripeFailureKind.Permission
        or StripeFailureKind.InvalidRequest or StripeFailureKind.Idempotency;
}
