using System.Text.Json;
using TutorClaw.Mcp.Billing;

namespace TutorClaw.Mcp.Storage;

/// <summary>The unmatched-payments log of the file store:
/// <c>&lt;data&gt;/unmatched/&lt;event id&gt;.json</c>, one file per event.</summary>
public sealed class FileUnmatchedPaymentLog(FileStoreDisk disk) : IUnmatchedPaymentLog
{
    private readonly string _directory = disk.Directory("unmatched");

    public Task RecordAsync(PaymentEvent paymentEvent, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = new UnmatchedPayment(paymentEvent, reason, now);
        return disk.Writer.TryCreateAsync(PathOf(paymentEvent), JsonSerializer.SerializeToUtf8Bytes(entry, BillingJsonContext.Default.UnmatchedPayment));
    }

    public Task<IReadOnlyList<UnmatchedPayment>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<UnmatchedPayment>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (TemporaryFile.IsTemporary(path))
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
        return Task.FromResult<IReadOnlyList<UnmatchedPayment>>(entries.OrderBy(e => e.Event.Created).ToList());
    }

    /// <summary>Removes the entry. Not flushed: an entry that comes back after a power cut is
    /// applied again by the next run and found already applied.</summary>
    public Task ResolveAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(paymentEvent));
        return Task.CompletedTask;
    }

    private string PathOf(PaymentEvent paymentEvent) => Path.Combine(_directory, UnmatchedEntryKey.Of(paymentEvent) + ".json");
}
