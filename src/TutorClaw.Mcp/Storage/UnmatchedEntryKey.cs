using System.Security.Cryptography;
using System.Text;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Storage;

/// <summary>The key of an unmatched-payments entry in every store: the event id, or for an event
/// without a safe one a digest of the event, so recording it again finds the same entry.</summary>
public static class UnmatchedEntryKey
{
    public static string Of(PaymentEvent paymentEvent) =>
        StripeIds.IsSafeToken(paymentEvent.EventId, "evt_")
            ? paymentEvent.EventId!
            : "x_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paymentEvent.ToString())))[..32];
}
