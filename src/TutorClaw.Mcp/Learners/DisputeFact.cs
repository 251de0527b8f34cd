namespace TutorClaw.Mcp.Learners;

/// <summary>The latest word on a chargeback against a checkout's payment.</summary>
/// <param name="DisputeId">Stripe's dp_… id.</param>
/// <param name="Status">Stripe's dispute status (needs_response, under_review, won, lost, …).</param>
/// <param name="StatusAsOf">The <c>created</c> time of the event that reported this status, so an
/// older event arriving late cannot overwrite a newer one.</param>
public sealed record DisputeFact(string DisputeId, string Status, DateTimeOffset OpenedAt, DateTimeOffset StatusAsOf)
{
    /// <summary>Won, or an inquiry closed without a chargeback: the money stays, so does access.</summary>
    public bool IsWon => Status is "won" or "warning_closed";
}
