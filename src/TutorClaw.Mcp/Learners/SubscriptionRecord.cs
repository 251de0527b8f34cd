namespace TutorClaw.Mcp.Learners;

/// <summary>
/// What Stripe has told us about one of the learner's subscriptions (the monthly plan). Stripe does
/// not order events, so the record keeps the newest subscription snapshot by the event's
/// <c>created</c> time (<see cref="StatusAsOf"/>) and ignores older ones; a <c>deleted</c> event is
/// final (<see cref="EndedAt"/>): no later-arriving <c>updated</c> revives the subscription. Invoice
/// outcomes only accumulate (<see cref="LastInvoicePaidAt"/>, <see cref="InvoiceFailedAts"/>), so the
/// past-due grace is the same whatever order they arrive in.
/// </summary>
public sealed record SubscriptionRecord
{
    /// <summary>TUTORCLAW_PAST_DUE_GRACE_DAYS's default.</summary>
    public static readonly TimeSpan DefaultPastDueGrace = TimeSpan.FromDays(3);

    /// <summary>Failed invoice times kept per subscription; older ones can no longer matter.</summary>
    public const int MaxFailuresKept = 12;

    /// <summary>Payment intents kept per subscription (the newest invoices'); a refund or dispute is
    /// of a recent payment.</summary>
    public const int MaxPaymentIntentsKept = 24;

    private readonly IReadOnlyList<DateTimeOffset> _invoiceFailedAts = [];
    private readonly IReadOnlyList<string> _paymentIntentIds = [];

    public required string SubscriptionId { get; init; }
    public string? CustomerId { get; init; }

    /// <summary>Stripe's status word: active, trialing, past_due, canceled, unpaid, incomplete,
    /// incomplete_expired or paused; empty until a subscription event arrived (an invoice may come first).</summary>
    public string Status { get; init; } = "";

    /// <summary>The <c>created</c> time of the event whose snapshot <see cref="Status"/> is.</summary>
    public DateTimeOffset? StatusAsOf { get; init; }

    public bool CancelAtPeriodEnd { get; init; }

    /// <summary>The latest <c>items.data[].current_period_end</c> (the period end is on the items at
    /// API 2026-10-28.endive).</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; init; }

    /// <summary>Set by <c>customer.subscription.deleted</c>; final.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The newest <c>invoice.paid</c>.</summary>
    public DateTimeOffset? LastInvoicePaidAt { get; init; }

    /// <summary><c>invoice.payment_failed</c> times, oldest first, at most <see cref="MaxFailuresKept"/>.</summary>
    public IReadOnlyList<DateTimeOffset> InvoiceFailedAts { get => _invoiceFailedAts; init => _invoiceFailedAts = value ?? []; }

    /// <summary>The payment intents that paid this subscription's invoices (from <c>invoice.paid</c>),
    /// oldest first: how a refund or dispute of an invoice's charge finds the subscription.</summary>
    public IReadOnlyList<string> PaymentIntentIds { get => _paymentIntentIds; init => _paymentIntentIds = value ?? []; }

    /// <summary>A full refund of one of its invoices' charges (the refund event's time).</summary>
    public DateTimeOffset? RefundedAt { get; init; }

    /// <summary>The latest word on a dispute of one of its invoices' charges.</summary>
    public DisputeFact? Dispute { get; init; }

    /// <summary>When the money was taken back: a full refund, or a dispute not won (from when it
    /// opened). Null when nothing was.</summary>
    public DateTimeOffset? ClawedBackAt
    {
        get
        {
            var disputed = Dispute is { IsWon: false } open ? open.OpenedAt : (DateTimeOffset?)null;
            return RefundedAt is { } refunded && (disputed is null || refunded > disputed) ? refunded : disputed;
        }
    }

    /// <summary>The one-time rules for a subscription's invoices (README "Entitlement rules"): a full
    /// refund or a dispute not won ends the access the subscription gives, until an invoice of it is
    /// paid after that (the learner paid again).</summary>
    public bool IsClawedBack => ClawedBackAt is { } at && !(LastInvoicePaidAt > at);

    /// <summary>How long a past_due subscription keeps access after its first failed invoice, as
    /// configured when the facts were recorded.</summary>
    public TimeSpan PastDueGrace { get; init; } = DefaultPastDueGrace;

    /// <summary>The first failure since the last paid invoice: where the grace period starts.</summary>
    public DateTimeOffset? FirstUnpaidFailureAt => InvoiceFailedAts
        .Where(f => LastInvoicePaidAt is null || f > LastInvoicePaidAt)
        .Select(f => (DateTimeOffset?)f)
        .Min();

    /// <summary>When a past_due subscription stops giving access; null unless past_due.</summary>
    public DateTimeOffset? GraceEndsAt => IsEnded || Status != "past_due"
        ? null
        : (FirstUnpaidFailureAt ?? StatusAsOf) + PastDueGrace;

    public bool IsEnded => EndedAt is not null || Status is "canceled" or "unpaid" or "incomplete_expired";

    /// <summary>Not over, whether or not it gives access now (past_due after the grace, paused, a first
    /// payment still confirming): the learner should fix or resume it, not start a second one.</summary>
    public bool IsLive => !IsEnded && Status is "active" or "trialing" or "past_due" or "paused" or "incomplete";

    /// <summary>Status → tier (README "Entitlement rules"): active or trialing give access;
    /// past_due gives it until the grace ends; everything else (canceled, unpaid,
    /// incomplete_expired, paused, incomplete, not yet known) does not; nor does a subscription whose
    /// invoice payment was refunded or disputed (<see cref="IsClawedBack"/>).</summary>
    public bool EntitlesAt(DateTimeOffset now) => !IsEnded && !IsClawedBack && Status switch
    {
        "active" or "trialing" => true,
        "past_due" => GraceEndsAt is { } end && now < end,
        _ => false,
    };
}
