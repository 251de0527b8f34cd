using System.Globalization;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>Turns a learner's billing history into words an agent can relay as they are.</summary>
public sealed class BillingStatusReporter(IOptions<ServerOptions> server, TimeProvider clock)
{
    /// <summary>A link about to expire is not worth sending; a fresh one is made instead.</summary>
    public static readonly TimeSpan UsableLinkMargin = TimeSpan.FromMinutes(5);

    public BillingStatus Describe(Learner learner)
    {
        var now = clock.GetUtcNow();
        var open = learner.Checkouts
            .Where(c => c.IsUsableAt(now, UsableLinkMargin))
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new OpenCheckout(c.Url!, c.SessionId!, c.ExpiresAt!.Value))
            .FirstOrDefault();
        var last = learner.Checkouts
            .Where(c => c.Status != CheckoutStatus.Open)
            .OrderByDescending(c => c.UpdatedAt)
            .Select(c => new PaymentOutcome(c.Status, c.UpdatedAt, c.SessionId, c.PaymentIntentId, c.Facts.Dispute?.DisputeId, c.Facts.Dispute?.Status))
            .FirstOrDefault();
        var change = TierRules.Explain(learner);
        var tier = TierRules.Current(learner, now);
        var plan = Plan(learner, now);
        var summary = plan.Sentence is { } monthly && tier == Tier.Paid && change.Cause == TierChangeCause.Subscription
            ? monthly + " Every chapter is open."
            : Summarize(learner with { Tier = tier }, change, open, last) + (plan.Sentence is { } ended ? " " + ended : "");
        return new BillingStatus(
            learner.LearnerId.Value,
            tier,
            learner.TierChangedAt,
            LastChange.From(change),
            server.Value.FreeChapters,
            open,
            last,
            summary)
        {
            Plan = plan.Name,
            RenewsAt = plan.RenewsAt,
            EndsAt = plan.EndsAt,
            CancelAtPeriodEnd = plan.CancelAtPeriodEnd,
            PastDue = plan.PastDue,
        };
    }

    private sealed record PlanReport(
        string? Name, DateTimeOffset? RenewsAt, DateTimeOffset? EndsAt, bool CancelAtPeriodEnd, PastDue? PastDue, string? Sentence);

    /// <summary>The plan the learner is on: the monthly plan while a subscription entitles (or the
    /// latest one ended), otherwise one_time when a checkout stands paid.</summary>
    private static PlanReport Plan(Learner learner, DateTimeOffset now)
    {
        var subscription = learner.Subscriptions.Where(s => s.EntitlesAt(now)).MaxBy(s => s.StatusAsOf)
            ?? learner.Subscriptions.Where(s => s.StatusAsOf is not null).MaxBy(s => s.StatusAsOf);
        var oneTime = learner.Checkouts.Any(c => c.Status == CheckoutStatus.Paid);
        if (subscription is null || (oneTime && !subscription.EntitlesAt(now)))
        {
            return new PlanReport(oneTime ? "one_time" : null, null, null, false, null, null);
        }
        if (subscription.EntitlesAt(now))
        {
            if (subscription.GraceEndsAt is { } graceEnd)
            {
                var since = subscription.FirstUnpaidFailureAt ?? subscription.StatusAsOf!.Value;
                return new PlanReport("monthly", null, graceEnd, subscription.CancelAtPeriodEnd, new PastDue(since, graceEnd),
                    $"Payment failed: paid until {TierChange.Day(graceEnd)} unless the card is updated.");
            }
            if (subscription.CancelAtPeriodEnd)
            {
                var end = subscription.CurrentPeriodEnd;
                return new PlanReport("monthly", null, end, true, null,
                    end is { } e ? $"Paid, cancelled: access ends on {TierChange.Day(e)}." : "Paid, cancelled: access ends at the end of this period.");
            }
            var renews = subscription.CurrentPeriodEnd;
            return new PlanReport("monthly", renews, null, false, null,
                renews is { } r ? $"Paid, renews on {TierChange.Day(r)}." : "Paid, renews monthly.");
        }
        if (!subscription.IsEnded && subscription.IsClawedBack && subscription.ClawedBackAt is { } clawedBack)
        {
            return new PlanReport("monthly", null, clawedBack, false, null, clawedBack == subscription.RefundedAt
                ? $"The monthly plan's payment was refunded on {TierChange.Day(clawedBack)}; the next paid invoice restores it."
                : $"The monthly plan's payment has been disputed since {TierChange.Day(clawedBack)}; the next paid invoice (or a won dispute) restores it.");
        }
        var endedAt = subscription.EndedAt ?? subscription.GraceEndsAt ?? subscription.StatusAsOf;
        var sentence = subscription.Status switch
        {
            "incomplete" => "The monthly plan's first payment has not gone through yet.",
            "past_due" => $"The monthly plan's payment failed and its grace period ended on {TierChange.Day(endedAt!.Value)}; updating the card restores it.",
            "paused" => "The monthly plan is paused.",
            _ => $"The monthly plan ended on {TierChange.Day(endedAt!.Value)}.",
        };
        return new PlanReport("monthly", null, endedAt, false, null, sentence);
    }

    private string Summarize(Learner learner, TierChange change, OpenCheckout? open, PaymentOutcome? last)
    {
        var free = server.Value.FreeChapters;
        var tier = (learner.Tier, change.Cause) switch
        {
            (Tier.Paid, TierChangeCause.Grant or TierChangeCause.HandEdit) => $"{change.Description}; every chapter is open.",
            (Tier.Free, TierChangeCause.Revoke or TierChangeCause.HandEdit) => $"{change.Description}; {ChapterAccess.FreeChapters(free)}.",
            (Tier.Paid, _) when learner.TierChangedAt is { } since => $"On the paid tier since {Day(since)}; every chapter is open.",
            (Tier.Paid, _) => "On the paid tier; every chapter is open.",
            _ => $"On the free tier: {ChapterAccess.FreeChapters(free)}.",
        };
        var payment = last?.Status switch
        {
            CheckoutStatus.Pending => $" A payment made on {Day(last.At)} with a delayed method (such as a bank debit) has not settled yet; access follows when it does.",
            CheckoutStatus.Failed => $" The last payment, on {Day(last.At)}, failed; a new payment link can be requested.",
            CheckoutStatus.Refunded or CheckoutStatus.Disputed when learner.Tier == Tier.Paid =>
                $" A payment was {(last.Status == CheckoutStatus.Refunded ? "refunded" : "disputed")} on {Day(last.At)}; the paid tier does not depend on it.",
            CheckoutStatus.Refunded => $" The payment was refunded on {Day(last.At)}, which ended the paid tier.",
            CheckoutStatus.Disputed when last.DisputeStatus == "lost" => $" The payment was disputed and the dispute was lost; the paid tier stays off.",
            CheckoutStatus.Disputed => $" The payment is disputed (since {Day(last.At)}); the paid tier is suspended until the dispute is resolved.",
            CheckoutStatus.Expired or CheckoutStatus.Canceled when learner.Tier == Tier.Free && open is null => " The last payment link expired unused.",
            _ => "",
        };
        var link = open is null || learner.Tier == Tier.Paid
            ? ""
            : $" A payment link is open until {open.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.";
        return tier + payment + link;
    }


    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
