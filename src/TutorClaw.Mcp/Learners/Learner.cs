using System.Text.Json;
using System.Text.Json.Serialization;

namespace TutorClaw.Mcp.Learners;

/// <summary>
/// One learner's document. New fields must be optional with a sensible default so older
/// documents keep loading without a migration (<see cref="SchemaVersion"/> marks the shape). The
/// tutorial's own shape (<c>learner_id</c>, <c>name</c>, <c>tier</c>, perhaps <c>phone</c> or
/// <c>chapter</c>) loads as it is: missing fields take their defaults, and fields we do not know
/// are kept in <see cref="OtherFields"/> and written back on every rewrite.
/// </summary>
public sealed record Learner
{
    /// <summary>2: <c>tier</c> is stored (not derived) and operator facts exist. A document
    /// without <c>schema_version</c> was written by someone else (the tutorial, a person).</summary>
    public const int CurrentSchemaVersion = 2;

    // Backing fields: the serializer passes a missing field as null to init accessors, and a
    // missing list or name means empty.
    private readonly string _name = "";
    private readonly IReadOnlyList<OperatorFact> _operatorFacts = [];
    private readonly IReadOnlyList<CheckoutRecord> _checkouts = [];
    private readonly IReadOnlyList<SubscriptionRecord> _subscriptions = [];
    private readonly IReadOnlyList<string> _appliedEventIds = [];

    /// <summary>0 when the document does not say (the tutorial's shape).</summary>
    public int SchemaVersion { get; init; }
    public required LearnerId LearnerId { get; init; }
    public string Name { get => _name; init => _name = value ?? ""; }

    /// <summary>Only in documents written before issue 12: the phone as it was given. Read once at
    /// startup by <see cref="PhoneIndexUpgrade"/>, which indexes it under its E.164 key and removes
    /// it. New documents never hold a phone number; the digest in the phone index is enough.</summary>
    public string? Phone { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The learner's tier: what every tool reads, and what a person may edit by hand.
    /// Our writers set it by <see cref="TierRules"/>; absent, it is free.</summary>
    public Tier Tier { get; init; } = Tier.Free;

    /// <summary>When <see cref="Tier"/> last changed (creation counts as a change to free); null
    /// when the document does not say.</summary>
    public DateTimeOffset? TierChangedAt { get; init; }

    /// <summary>Grants, revokes and recorded hand edits, oldest first.</summary>
    public IReadOnlyList<OperatorFact> OperatorFacts { get => _operatorFacts; init => _operatorFacts = value ?? []; }

    public IReadOnlyList<CheckoutRecord> Checkouts { get => _checkouts; init => _checkouts = value ?? []; }

    /// <summary>The monthly plan's subscriptions Stripe told us about, oldest first.</summary>
    public IReadOnlyList<SubscriptionRecord> Subscriptions { get => _subscriptions; init => _subscriptions = value ?? []; }

    /// <summary>The learner's Stripe Customer (cus_…), learned from their subscription's events.</summary>
    public string? StripeCustomerId { get; init; }

    /// <summary>The secret part of the learner's stable payment link (<c>/pay/&lt;token&gt;</c>):
    /// random, made once by <see cref="Billing.UpgradeLinks"/> and kept until rotated or revoked
    /// (null then, and a new one is made when next needed). The store indexes it, so a link finds
    /// its learner without a scan.</summary>
    public string? UpgradeToken { get; init; }

    /// <summary>Stripe event ids already applied to this learner. Kept in the same document as
    /// their effect so that "applied" and "remembered as applied" are one atomic write.</summary>
    public IReadOnlyList<string> AppliedEventIds { get => _appliedEventIds; init => _appliedEventIds = value ?? []; }

    /// <summary>Fields this server does not know (the tutorial's <c>chapter</c>, a person's notes),
    /// kept as they were read and written back unchanged. A setter, not init: System.Text.Json
    /// cannot fill extension data through the constructor that init members go through. Nothing
    /// changes it after reading.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherFields { get; set; }

    public static Learner CreateFree(LearnerId id, string name, DateTimeOffset now) => new()
    {
        SchemaVersion = CurrentSchemaVersion,
        LearnerId = id,
        Name = name,
        CreatedAt = now,
        UpdatedAt = now,
        TierChangedAt = now,
    };
}
