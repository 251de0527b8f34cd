using System.Text;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Storage;

/// <summary>The payment-intent index of the file store: one small file
/// <c>&lt;data&gt;/payment-intents/&lt;pi_…&gt;</c> holding the learner id. O(1) either way.</summary>
public sealed class FilePaymentIntentIndex(FileStoreDisk disk) : IPaymentIntentIndex
{
    private readonly string _directory = disk.Directory("payment-intents");

    public async Task BindAsync(string paymentIntentId, LearnerId learner, CancellationToken cancellationToken)
    {
        if (StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            await disk.Writer.TryCreateAsync(Path.Combine(_directory, paymentIntentId), Encoding.ASCII.GetBytes(learner.Value)).ConfigureAwait(false);
        }
    }

    public Task<LearnerId?> FindAsync(string? paymentIntentId, CancellationToken cancellationToken)
    {
        if (!StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            return Task.FromResult<LearnerId?>(null);
        }
        try
        {
            var text = File.ReadAllText(Path.Combine(_directory, paymentIntentId!)).Trim();
            return Task.FromResult<LearnerId?>(LearnerId.TryParse(text, out var id) ? id : null);
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<LearnerId?>(null);
        }
    }
}
