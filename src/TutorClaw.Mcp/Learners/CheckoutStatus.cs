namespace TutorClaw.Mcp.Learners;

/// <summary>Where one Checkout Session stands, as SPEC §3 names the states.</summary>
public enum CheckoutStatus
{
    /// <summary>Created; the learner can still pay on Stripe's page.</summary>
    Open,

    /// <summary>Completed with a delayed payment method (e.g. bank debit) that has not settled yet.</summary>
    Pending,

    Paid,
    Expired,

    /// <summary>The delayed payment failed.</summary>
    Failed,

    /// <summary>Fully refunded; final.</summary>
    Refunded,

    /// <summary>A chargeback is open, or was lost.</summary>
    Disputed,

    /// <summary>Expired by us before Stripe's own expiry.</summary>
    Canceled,
}
