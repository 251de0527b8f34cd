using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Tools;

/// <summary>The paywall's way on: a Stripe Checkout link for the learner.</summary>
[McpServerToolType]
public sealed class UpgradeTools(CheckoutService checkout)
{
    [McpServerTool(Name = "get_upgrade_url", Idempotent = true, OpenWorld = true)]
    [Description("Gives a Stripe Checkout payment link that moves a free learner to the paid tier. Send the url to the learner; after paying they are upgraded automatically, usually before they are back in the chat. Asking again while a link is still open returns the same link.")]
    public async Task<CallToolResult> GetUpgradeUrlAsync(
        [Description("The learner_id returned by register_learner.")] string learner_id,
        CancellationToken cancellationToken = default)
    {
        var result = await checkout.GetOrCreateAsync(learner_id, cancellationToken);
        return result switch
        {
            UpgradeResult.Link link => ToolResults.Success(new
            {
                learner_id,
                url = link.Url,
                session_id = link.SessionId,
                expires_at = link.ExpiresAt,
                reused = link.Reused,
                message = $"Send this link to the learner; it works until {link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.",
            }),
            UpgradeResult.InvalidLearnerId => ToolResults.InvalidLearnerId(),
            UpgradeResult.UnknownLearner u => ToolResults.UnknownLearner(u.LearnerId),
            UpgradeResult.AlreadyPaid => ToolResults.Failure("This learner is already on the paid tier; every chapter is open, no payment is needed."),
            UpgradeResult.PaymentPending p => ToolResults.Failure(
                $"A payment made on {p.Since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} with a delayed method (such as a bank debit) is still settling; the paid tier follows when it clears, so no new link was made."),
            UpgradeResult.NotConfigured n => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage,
                $"Payments are not set up on this server yet: set {string.Join(" and ", n.MissingVariables)} and restart it."),
            UpgradeResult.StripeFailed { Failure.NeedsOperator: true } f => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage, f.Failure.Message),
            UpgradeResult.StripeFailed f => ToolResults.Failure(f.Failure.Message + " The learner's record is unchanged; try again shortly."),
            _ => throw new InvalidOperationException("Unhandled upgrade result."),
        };
    }
}
