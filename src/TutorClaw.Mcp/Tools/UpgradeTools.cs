using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tools;

/// <summary>The paywall's way on: a Stripe Checkout link for the learner.</summary>
[McpServerToolType]
public sealed class UpgradeTools(CheckoutService checkout, UpgradeLinks links)
{
    [McpServerTool(Name = "get_upgrade_url", Title = "Payment link for the paid tier", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(UpgradeUrl))]
    [Description("Call when check_chapter_access refuses a chapter or the learner asks to upgrade. Returns url, the learner's own payment link, which never expires: send exactly that url to the learner and tell them every chapter opens once they pay; the tier changes by itself, usually before they are back in the chat. Asking again returns the same url.")]
    public async Task<CallToolResult> GetUpgradeUrlAsync(
        [Description("The learner_id returned by register_learner.")] string learner_id,
        CancellationToken cancellationToken = default)
    {
        var result = await checkout.GetOrCreateAsync(learner_id, cancellationToken);
        var token = result is UpgradeResult.Link && LearnerId.TryParse(learner_id, out var id)
            ? await links.EnsureAsync(id, cancellationToken)
            : null;
        return result switch
        {
            UpgradeResult.Link when token is null => ToolResults.UnknownLearner(learner_id),
            UpgradeResult.Link link => ToolResults.Success(new UpgradeUrl(
                learner_id,
                links.PayUrl(token!).ToString(),
                link.Url,
                link.SessionId,
                link.ExpiresAt,
                link.Reused,
                "Send the learner this url: it is theirs for good and always opens a payment page that works, so an old message still works after checkout_url expires.")),
            UpgradeResult.InvalidLearnerId => ToolResults.InvalidLearnerId(),
            UpgradeResult.UnknownLearner u => ToolResults.UnknownLearner(u.LearnerId),
            UpgradeResult.AlreadyPaid => ToolResults.Failure("This learner is already on the paid tier; every chapter is open, no payment is needed."),
            UpgradeResult.PaymentPending p => ToolResults.Failure(
                $"A payment made on {p.Since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} with a delayed method (such as a bank debit) is still settling; the paid tier follows when it clears, so no new link was made."),
            UpgradeResult.NotConfigured n => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage,
                $"Payments are not set up on this server yet: set {string.Join(" and ", n.MissingVariables)} and restart it."),
            UpgradeResult.SubscriptionLive { Status: "incomplete" } => ToolResults.Failure(
                "This learner's monthly plan is still confirming its first payment; the paid tier follows when it clears, so no new link was made."),
            UpgradeResult.SubscriptionLive => ToolResults.Failure(
                "This learner already has a monthly plan, so no new payment link was made: call get_billing_portal_url and send them that link to update their card or resume the plan."),
            UpgradeResult.PriceMisconfigured m => ToolResults.OperatorFailure(ToolResults.PaymentsUnavailableMessage, m.OperatorHint),
            UpgradeResult.StripeFailed { Failure.NeedsOperator: true } f => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage, f.Failure.Message),
            UpgradeResult.StripeFailed f => ToolResults.Failure(f.Failure.Message + " The learner's record is unchanged; try again shortly."),
            _ => throw new InvalidOperationException("Unhandled upgrade result."),
        };
    }
}
