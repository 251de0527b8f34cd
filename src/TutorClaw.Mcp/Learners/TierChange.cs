using System.Globalization;

namespace TutorClaw.Mcp.Learners;

/// <summary>Why a learner is on their tier: the cause, when (if known), and the operator's reason.</summary>
public sealed record TierChange(Tier Tier, TierChangeCause Cause, DateTimeOffset? At, string? Reason)
{
    /// <summary>One phrase an agent can relay, e.g. "paid: granted by the operator on 3 Dec 2026 (scholarship)".</summary>
    public string Description
    {
        get
        {
            var on = At is { } at && at != default ? " on " + Day(at) : "";
            var what = Cause switch
            {
                TierChangeCause.Registered => "registered" + on,
                TierChangeCause.Payment => "payment completed" + on,
                TierChangeCause.Refund => "payment refunded" + on,
                TierChangeCause.Dispute => "payment disputed" + on,
                TierChangeCause.Grant => "granted by the operator" + on,
                TierChangeCause.Revoke => "revoked by the operator" + on,
                TierChangeCause.Subscription => "monthly plan" + (At is { } && At != default ? " since " + Day(At.Value) : ""),
                TierChangeCause.SubscriptionEnded => "monthly plan ended" + on,
                TierChangeCause.HandEdit => "set by hand in the learner file" + on,
                _ => "changed" + on,
            };
            var why = string.IsNullOrEmpty(Reason) ? "" : $" ({Reason})";
            return $"{(Tier == Tier.Paid ? "paid" : "free")}: {what}{why}";
        }
    }

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
