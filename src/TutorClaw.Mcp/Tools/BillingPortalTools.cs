using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Tools;

/// <summary>The monthly plan's self-service: Stripe's Customer Portal.</summary>
[McpServerToolType]
public sealed class BillingPortalTools(BillingPortal portal)
{
    [McpServerTool(Name = "get_billing_portal_url", Title = "Get the billing portal link",
        ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(BillingPortalUrl))]
    [Description("Call when a learner on the monthly plan wants to cancel it or change their card, or when get_learner_tier says their payment failed. Returns url, their Stripe billing settings page: send it to the learner and tell them the changes they make there reach the tutor by themselves. The link is short-lived, so call again each time rather than resending an old one; a learner who never had a monthly plan gets an error saying so.")]
    public async Task<CallToolResult> GetBillingPortalUrlAsync(
        [Description("The learner_id returned by register_learner.")] string learner_id,
        CancellationToken cancellationToken = default)
    {
        var result = await portal.CreateAsync(learner_id, cancellationToken);
        return result switch
        {
            BillingPortalResult.Link link => ToolResults.Success(new BillingPortalUrl(learner_id, link.Url,
                "Send this link to the learner; it opens their billing settings, where they can cancel the monthly plan or change their card.")),
            BillingPortalResult.InvalidLearnerId => ToolResults.InvalidLearnerId(),
            BillingPortalResult.UnknownLearner u => ToolResults.UnknownLearner(u.LearnerId),
            BillingPortalResult.NoCustomer => ToolResults.Failure(
                "This learner has no monthly plan with Stripe yet, so there are no billing settings to manage; get_upgrade_url gives a payment link."),
            BillingPortalResult.NotConfigured => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage, $"Payments are not set up on this server yet: set {ConfigurationKeys.StripeSecretKey} and restart it."),
            BillingPortalResult.StripeFailed { Failure.NeedsOperator: true } f => ToolResults.OperatorFailure(
                ToolResults.PaymentsUnavailableMessage, f.Failure.Message),
            BillingPortalResult.StripeFailed f => ToolResults.Failure(f.Failure.Message + " Nothing was changed; try again shortly."),
            _ => throw new InvalidOperationException("Unhandled billing portal result."),
        };
    }
}

/// <summary>get_billing_portal_url's answer.</summary>
public sealed record BillingPortalUrl(string LearnerId, string Url, string Message);
