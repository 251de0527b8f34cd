using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// pi_… → learner, recorded when a checkout names its payment intent. Charges and disputes
/// carry no learner of their own (a dispute never carries metadata), so this is how a refund or
/// chargeback finds the learner it concerns. One small file per payment intent: O(1) either way.
/// </summary>
public sealed class PaymentIntentIndex
{
    private readonly string _directory;

    public PaymentIntentIndex(IOptions<StorageOptions> storage)
    {
        _directory = Path.Combine(storage.Value.DataDirectory, "payment-intents");
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Records the binding; the first binding of a payment intent wins and is never changed.</summary>
    public void Bind(string paymentIntentId, LearnerId learner)
    {
        if (StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            DurableFile.TryCreate(Path.Combine(_directory, paymentIntentId), Encoding.ASCII.GetBytes(learner.Value));
        }
    }

    public LearnerId? Find(string? paymentIntentId)
    {
        if (!StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            return null;
        }
        try
        {
            var text = File.ReadAllText(Path.Combine(_directory, paymentIntentId!)).Trim();
            return LearnerId.TryParse(text, out var id) ? id : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
