using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// pi_… → learner, recorded when a checkout names its payment intent. Charges and disputes
/// carry no learner of their own (a dispute never carries metadata), so this is how a refund or
/// chargeback finds the learner it concerns.
/// </summary>
public interface IPaymentIntentIndex
{
    /// <summary>Records the binding durably; the first binding of a payment intent wins and is
    /// never changed. An id that is not a safe <c>pi_</c> token is ignored.</summary>
    Task BindAsync(string paymentIntentId, LearnerId learner, CancellationToken cancellationToken);

    Task<LearnerId?> FindAsync(string? paymentIntentId, CancellationToken cancellationToken);
}
