namespace TutorClaw.Mcp.Stripe;

public enum StripeFailureKind
{
    /// <summary>No connection could be made, or it broke (after retries).</summary>
    Unreachable,

    /// <summary>Stripe did not answer within the timeout (after retries).</summary>
    Timeout,

    /// <summary>401: the secret key was rejected.</summary>
    Authentication,

    /// <summary>403: the key (e.g. a restricted rk_ key) lacks a permission.</summary>
    Permission,

    /// <summary>400/404: Stripe refused the request (a bad price id, say).</summary>
    InvalidRequest,

    /// <summary>An Idempotency-Key was reused with different parameters.</summary>
    Idempotency,

    /// <summary>429 (after retries where Stripe allowed them).</summary>
    RateLimited,

    /// <summary>402: card error (not expected for our calls).</summary>
    Card,

    /// <summary>5xx, 409 or anything else unexpected (after retries).</summary>
    ServerError,
}
