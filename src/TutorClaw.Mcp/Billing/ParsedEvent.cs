namespace TutorClaw.Mcp.Billing;

/// <summary>What a verified event body turned out to be.</summary>
public abstract record ParsedEvent
{
    private ParsedEvent()
    {
    }

    /// <summary>One of the types our payment rules act on. <paramref name="Livemode"/> is the
    /// event's own <c>livemode</c> flag (null when absent).</summary>
    public sealed record Handled(PaymentEvent Event, string? ApiVersion, bool? Livemode = null) : ParsedEvent;

    /// <summary>A well-formed event of a type we do not act on (customer.created, …).</summary>
    public sealed record Ignored(string EventId, string Type) : ParsedEvent;

    /// <summary>Not a Stripe event we can read; the reason is safe to return in a 400.</summary>
    public sealed record Malformed(string Reason) : ParsedEvent;
}
