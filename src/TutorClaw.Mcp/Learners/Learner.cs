namespace TutorClaw.Mcp.Learners;

/// <summary>
/// One learner's document. New fields must be optional with a sensible default so older
/// documents keep loading without a migration (<see cref="SchemaVersion"/> marks the shape).
/// </summary>
public sealed record Learner
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required LearnerId LearnerId { get; init; }
    public required string Name { get; init; }

    /// <summary>Only in documents written before issue 12: the phone as it was given. Read once at
    /// startup by <see cref="PhoneIndexUpgrade"/>, which indexes it under its E.164 key and removes
    /// it. New documents never hold a phone number; the digest in the phone index is enough.</summary>
    public string? Phone { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When <see cref="Tier"/> last changed (creation counts as a change to free).</summary>
    public DateTimeOffset TierChangedAt { get; init; }

    public IReadOnlyList<CheckoutRecord> Checkouts { get; init; } = [];

    /// <summary>Stripe event ids already applied to this learner. Kept in the same document as
    /// their effect so that "applied" and "remembered as applied" are one atomic write.</summary>
    public IReadOnlyList<string> AppliedEventIds { get; init; } = [];

    /// <summary>Derived: paid while any checkout stands paid. Refunds and open disputes take that
    /// away by changing the checkout, so the tier can never disagree with the billing history.</summary>
    public Tier Tier => Checkouts.Any(c => c.Status == CheckoutStatus.Paid) ? Tier.Paid : Tier.Free;

    public static Learner CreateFree(LearnerId id, string name, DateTimeOffset now) => new()
    {
        LearnerId = id,
        Name = name,
        CreatedAt = now,
        UpdatedAt = now,
        TierChangedAt = now,
    };
}
