namespace TutorClaw.Mcp.Learners;

/// <summary>
/// How a learner's stored <c>tier</c> follows the billing facts and the operator's decisions
/// (README "Entitlement rules"). <see cref="Decide(Learner)"/> is a pure function of the facts in
/// the document, so whatever order Stripe delivers events in, the same facts give the same tier:
/// <list type="number">
/// <item>Without an operator decision the tier is what the billing facts decide: paid while any
/// checkout stands paid.</item>
/// <item>An operator decision (grant, revoke, or a hand edit of <c>tier</c>) sets the tier and
/// holds against every billing fact about payments completed before it: redeliveries, expiries,
/// refunds (partial or full), disputes and their outcomes. A grant is access regardless of money,
/// so a refund of the learner's own payment leaves it standing; only a revoke ends it.</item>
/// <item>A payment completed after the decision that stands paid makes the learner paid (a
/// revoked learner who pays again gets what they paid for); if that payment is refunded or
/// disputed, the tier falls back to the decision.</item>
/// <item>The next operator decision replaces the previous one.</item>
/// <item>A subscription (the monthly plan) counts as a payment while it entitles
/// (<see cref="SubscriptionRecord.EntitlesAt"/>); one whose newest snapshot is after the decision
/// makes the learner paid as a payment made after it would.</item>
/// </list>
/// The facts decide as of an instant, because a past_due subscription's grace runs out with time.
/// Every writer stores <see cref="Decide(Learner, DateTimeOffset)"/> as of its write, so a stored tier
/// that differs from what the facts gave at the document's <see cref="Learner.UpdatedAt"/> was edited
/// by hand, and the first rewrite records that edit (<see cref="RecordHandEdit"/>). Readers use
/// <see cref="Current"/>, which lets a grace period that ran out since the last write end access.
/// </summary>
public static class TierRules
{
    /// <summary>What the billing facts alone decide: paid while any checkout stands paid.</summary>
    public static Tier BillingTier(IEnumerable<CheckoutRecord> checkouts) =>
        checkouts.Any(c => c.Status == CheckoutStatus.Paid) ? Tier.Paid : Tier.Free;

    /// <summary>What the billing facts alone decide at <paramref name="now"/>: a checkout paid, or a
    /// subscription that entitles.</summary>
    public static Tier BillingTier(Learner learner, DateTimeOffset now) =>
        BillingTier(learner.Checkouts) == Tier.Paid || learner.Subscriptions.Any(s => s.EntitlesAt(now)) ? Tier.Paid : Tier.Free;

    /// <summary>The tier to act on now: the stored one, unless nothing but time has changed what
    /// the facts give since the last write (a past_due grace that ran out). A hand edit stands.</summary>
    public static Tier Current(Learner learner, DateTimeOffset now) =>
        HasUnrecordedHandEdit(learner) ? learner.Tier : Decide(learner, now);

    /// <summary>The operator decision in force: the last one recorded.</summary>
    public static OperatorFact? DecisionInForce(Learner learner) =>
        learner.OperatorFacts.Count == 0 ? null : learner.OperatorFacts[^1];

    /// <summary>The tier the facts and decisions in the document give at <paramref name="now"/>.</summary>
    public static Tier Decide(Learner learner, DateTimeOffset now)
    {
        if (DecisionInForce(learner) is not { } decision)
        {
            return BillingTier(learner, now);
        }
        return decision.Tier == Tier.Paid
            || LatestPaid(learner.Checkouts, after: decision.At) is not null
            || learner.Subscriptions.Any(s => s.StatusAsOf > decision.At && s.EntitlesAt(now))
            ? Tier.Paid
            : Tier.Free;
    }

    /// <summary>True when the stored tier is not what the document's facts gave when it was last
    /// written: a person edited it.</summary>
    public static bool HasUnrecordedHandEdit(Learner learner) => learner.Tier != Decide(learner, learner.UpdatedAt);

    /// <summary>
    /// Records a hand edit of <c>tier</c> as an operator fact, so the history explains every tier the
    /// learner has had; the edited tier stands. <paramref name="editedAt"/> is when the file was
    /// last written; the edit is dated no earlier than the newest payment in the file, which the
    /// person editing it could see. Returns <paramref name="learner"/> itself when there is no edit.
    /// </summary>
    public static Learner RecordHandEdit(Learner learner, DateTimeOffset editedAt)
    {
        if (!HasUnrecordedHandEdit(learner))
        {
            return learner;
        }
        var at = NotBeforeKnownPayments(learner, editedAt);
        return learner with
        {
            OperatorFacts = [.. learner.OperatorFacts, new OperatorFact(at, OperatorAction.HandEdit, learner.Tier)],
            TierChangedAt = at,
        };
    }

    /// <summary>An operator's grant or revoke, recorded and applied.</summary>
    public static Learner DecideByOperator(Learner learner, OperatorAction action, string? reason, DateTimeOffset now)
    {
        if (action is not (OperatorAction.Grant or OperatorAction.Revoke))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Only grant and revoke are commands.");
        }
        var tier = action == OperatorAction.Grant ? Tier.Paid : Tier.Free;
        var decided = learner with
        {
            OperatorFacts = [.. learner.OperatorFacts, new OperatorFact(NotBeforeKnownPayments(learner, now), action, tier, reason)],
        };
        return Settle(decided, now);
    }

    /// <summary>Stores the tier the facts give; <paramref name="now"/> becomes the time of change when it differs.</summary>
    public static Learner Settle(Learner learner, DateTimeOffset now)
    {
        var tier = Decide(learner, now);
        return tier == learner.Tier ? learner : learner with { Tier = tier, TierChangedAt = now };
    }

    /// <summary>What put the learner on their stored tier (get_learner_tier's <c>last_change</c>).</summary>
    public static TierChange Explain(Learner learner)
    {
        if (HasUnrecordedHandEdit(learner))
        {
            return new TierChange(learner.Tier, TierChangeCause.HandEdit, null, null);
        }
        var decision = DecisionInForce(learner);
        if (learner.Tier == Tier.Paid)
        {
            if (LatestPaid(learner.Checkouts, after: decision?.At) is { } payment)
            {
                return new TierChange(Tier.Paid, TierChangeCause.Payment, payment.Facts.PaidAt, null);
            }
            if (learner.Subscriptions
                .Where(s => s.EntitlesAt(learner.UpdatedAt) && (decision is null || s.StatusAsOf > decision.At))
                .MaxBy(s => s.StatusAsOf) is { } subscription)
            {
                return new TierChange(Tier.Paid, TierChangeCause.Subscription, learner.TierChangedAt ?? subscription.StatusAsOf, null);
            }
            return decision is null
                ? new TierChange(Tier.Paid, TierChangeCause.HandEdit, learner.TierChangedAt, null)
                : FromDecision(decision);
        }
        // A subscription whose invoice payment was refunded or disputed: explained as a one-time refund or dispute is.
        var clawedBack = learner.Subscriptions
            .Where(s => s.IsClawedBack && s.ClawedBackAt > (decision?.At ?? DateTimeOffset.MinValue))
            .MaxBy(s => s.ClawedBackAt);
        if (clawedBack is not null)
        {
            return new TierChange(Tier.Free, clawedBack.ClawedBackAt == clawedBack.RefundedAt ? TierChangeCause.Refund : TierChangeCause.Dispute,
                clawedBack.ClawedBackAt, null);
        }
        var lapsed = learner.Subscriptions
            .Where(s => s.StatusAsOf > (decision?.At ?? DateTimeOffset.MinValue) && !s.EntitlesAt(learner.UpdatedAt)
                && (s.IsEnded || s.Status == "past_due"))
            .MaxBy(s => s.StatusAsOf);
        if (lapsed is not null)
        {
            return new TierChange(Tier.Free, TierChangeCause.SubscriptionEnded, lapsed.EndedAt ?? lapsed.GraceEndsAt ?? lapsed.StatusAsOf, null);
        }
        var ended = learner.Checkouts
            .Where(c => c.Status is CheckoutStatus.Refunded or CheckoutStatus.Disputed && EndedAt(c) > (decision?.At ?? DateTimeOffset.MinValue))
            .MaxBy(EndedAt);
        if (ended is not null)
        {
            return new TierChange(Tier.Free, ended.Status == CheckoutStatus.Refunded ? TierChangeCause.Refund : TierChangeCause.Dispute, EndedAt(ended), null);
        }
        return decision is null
            ? new TierChange(Tier.Free, TierChangeCause.Registered, learner.CreatedAt == default ? null : learner.CreatedAt, null)
            : FromDecision(decision);
    }

    private static TierChange FromDecision(OperatorFact decision) => new(
        decision.Tier,
        decision.Action switch
        {
            OperatorAction.Grant => TierChangeCause.Grant,
            OperatorAction.Revoke => TierChangeCause.Revoke,
            _ => TierChangeCause.HandEdit,
        },
        decision.At,
        decision.Reason);

    private static CheckoutRecord? LatestPaid(IEnumerable<CheckoutRecord> checkouts, DateTimeOffset? after) =>
        checkouts
            .Where(c => c.Status == CheckoutStatus.Paid && (after is null || c.Facts.PaidAt > after))
            .MaxBy(c => c.Facts.PaidAt);

    private static DateTimeOffset? EndedAt(CheckoutRecord checkout) =>
        checkout.Facts.RefundedAt ?? checkout.Facts.Dispute?.OpenedAt;

    /// <summary>A decision is made seeing every payment already recorded, so it is dated after them
    /// even if Stripe's clock runs a little ahead of ours.</summary>
    private static DateTimeOffset NotBeforeKnownPayments(Learner learner, DateTimeOffset at)
    {
        var latest = learner.Checkouts.Select(c => c.Facts.PaidAt).Max();
        return latest is { } paid && paid > at ? paid : at;
    }
}
