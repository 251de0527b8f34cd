namespace TutorClaw.Mcp.Billing;

/// <summary>Money is never silently dropped: a verified event whose learner we cannot find is
/// kept, once per event, until a later run applies it.</summary>
public interface IUnmatchedPaymentLog
{
    /// <summary>Keeps the event durably; recording the same event again changes nothing.</summary>
    Task RecordAsync(PaymentEvent paymentEvent, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every kept event, oldest first.</summary>
    Task<IReadOnlyList<UnmatchedPayment>> ListAsync(CancellationToken cancellationToken);

    Task ResolveAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken);
}
