using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tools;

/// <summary>Registration and the paywall questions the tutor asks before every chapter.</summary>
[McpServerToolType]
public sealed class LearnerTools(
    LearnerRegistration registration,
    ILearnerRepository learners,
    BillingStatusReporter billingStatus,
    IOptions<ServerOptions> server,
    TimeProvider clock)
{
    [McpServerTool(Name = "register_learner", Title = "Register a learner", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RegisteredLearner))]
    [Description("Call once when a new learner starts. Registers them on the free tier and returns their learner_id; keep it for every other tool. Give their phone number whenever you have it: the same phone always returns the same learner, while each call without a phone makes a new one. Tell the learner how many chapters are free.")]
    public async Task<CallToolResult> RegisterLearnerAsync(
        [Description("The learner's name as they gave it (1 to 200 characters).")] string name,
        [Description("The learner's phone number with its country code, in any common format: +447700900123, WhatsApp's 447700900123, 0044 7700 900123 or whatsapp:+447700900123. Optional.")] string? phone = null,
        CancellationToken cancellationToken = default)
    {
        var result = await registration.RegisterAsync(name, phone, cancellationToken);
        return result switch
        {
            RegistrationResult.Registered r => ToolResults.Success(new RegisteredLearner(
                r.Learner.LearnerId.Value, r.Learner.Tier, r.Created, r.Learner.CreatedAt, server.Value.FreeChapters)),
            RegistrationResult.Invalid i => ToolResults.Failure(i.Reason),
            _ => throw new InvalidOperationException("Unhandled registration result."),
        };
    }

    [McpServerTool(Name = "get_learner_tier", Title = "Learner's tier and payment status", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(BillingStatus))]
    [Description("Call when the learner asks about their plan or a payment, or says they have paid, to see where they stand. Returns their tier (free or paid) and the facts behind it: the plan, when it renews or ends, any open payment link and how their last payment went. Tell the learner summary as it is; when they say they paid but the tier is still free, summary says whether a payment is still settling, so do not ask them to pay again.")]
    public async Task<CallToolResult> GetLearnerTierAsync(
        [Description("The learner_id returned by register_learner.")] string learner_id,
        CancellationToken cancellationToken = default)
    {
        if (!LearnerId.TryParse(learner_id, out var id))
        {
            return ToolResults.InvalidLearnerId();
        }
        var learner = await learners.FindAsync(id, cancellationToken);
        return learner is null
            ? ToolResults.UnknownLearner(id.Value)
            : ToolResults.Success(billingStatus.Describe(learner));
    }

    [McpServerTool(Name = "check_chapter_access", Title = "Check chapter access", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ChapterAccessAnswer))]
    [Description("Call before teaching any chapter, every time: a payment or a refund can change the answer at any moment. When allowed is true, teach the chapter. When it is false, do not teach it: tell the learner reason (the first free_chapters chapters are free) and follow next_step, which is to call get_upgrade_url and send them their payment link.")]
    public async Task<CallToolResult> CheckChapterAccessAsync(
        [Description("The learner_id returned by register_learner.")] string learner_id,
        [Description("The chapter number the learner wants to open, starting at 1.")] int chapter,
        CancellationToken cancellationToken = default)
    {
        if (!LearnerId.TryParse(learner_id, out var id))
        {
            return ToolResults.InvalidLearnerId();
        }
        if (!ChapterAccess.IsChapter(chapter))
        {
            return ToolResults.Failure("Chapters are numbered from 1.");
        }
        var learner = await learners.FindAsync(id, cancellationToken);
        if (learner is null)
        {
            return ToolResults.UnknownLearner(id.Value);
        }
        var freeChapters = server.Value.FreeChapters;
        var tier = TierRules.Current(learner, clock.GetUtcNow());
        var access = ChapterAccess.Check(tier, chapter, freeChapters);
        return ToolResults.Success(new ChapterAccessAnswer(
            id.Value, chapter, access.Allowed, tier, freeChapters, access.Reason,
            access.Allowed ? null : "Call get_upgrade_url with this learner_id and send the learner the payment link."));
    }
}
