using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Money is never silently dropped: a verified event whose learner we cannot find is written to
/// <c>&lt;data&gt;/unmatched/&lt;event id&gt;.json</c>, once per event, until a later run applies it.
/// </summary>
public sealed class UnmatchedPaymentLog
{
    private readonly string _directory;

    public UnmatchedPaymentLog(IOptions<StorageOptions> storage)
    {
        _directory = Path.Combine(storage.Value.DataDirectory, "unmatched");
        Directory.CreateDirectory(_directory);
    }

    public string Location => _directory;

    /// <summary>Keeps the event; recording the same event again changes nothing.</summary>
    public void Record(PaymentEvent paymentEvent, string reason, DateTimeOffset now)
    {
        var entry = new UnmatchedPayment(paymentEvent, reason, now);
        DurableFile.TryCreate(PathOf(paymentEvent), JsonSerializer.SerializeToUtf8Bytes(entry, BillingJsonContext.Default.UnmatchedPayment));
    }

    public IReadOnlyList<UnmatchedPayment> List()
    {
        var entries = new List<UnmatchedPayment>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (DurableFile.IsTemporary(path))
            {
                continue;
            }
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(path), BillingJsonContext.Default.UnmatchedPayment) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (FileNotFoundException)
            {
                // Resolved by a concurrent run between listing and reading.
            }
        }
        return entries.OrderBy(e => e.Event.Created).ToList();
    }

    /// <summary>How many entries the log holds, without reading them.</summary>
    public int Count() => Directory.EnumerateFiles(_directory, "*.json").Count(path => !DurableFile.IsTemporary(path));

    public void Resolve(PaymentEvent paymentEvent)
    {
        File.Delete(PathOf(paymentEvent));
    }

    private string PathOf(PaymentEvent paymentEvent)
    {
        var name = StripeIds.IsSafeToken(paymentEvent.EventId, "evt_")
            ? paymentEvent.EventId!
            : "x_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paymentEvent.ToString())))[..32];
        return Path.Combine(_directory, name + ".json");
    }
}
