namespace TutorClaw.Mcp.Stripe;

/// <summary>What paid one invoice, from its InvoicePayment objects (<c>payment.payment_intent</c>, or
/// <c>payment.charge</c> for a charge made without a payment intent).</summary>
public sealed record InvoicePayments(IReadOnlyList<string> PaymentIntentIds, IReadOnlyList<string> ChargeIds);
