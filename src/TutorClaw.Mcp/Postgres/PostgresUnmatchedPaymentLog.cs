using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Postgres;

/// <summary>The unmatched-payments log in PostgreSQL (<c>unmatched_payments</c>): one row per event,
/// holding the same JSON document as the file store's <c>unmatched/&lt;event id&gt;.json</c>.</summary>
public sealed class PostgresUnmatchedPaymentLog(PostgresDatabase database) : IUnmatchedPaymentLog
{
    public Task RecordAsync(PaymentEvent paymentEvent, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        RecordAsync(new UnmatchedPayment(paymentEvent, reason, now), cancellationToken);

    /// <summary>Keeps <paramref name="entry"/> as it is (the migration from files); an entry already kept stays.</summary>
    public Task RecordAsync(UnmatchedPayment entry, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO unmatched_payments (entry_key, document, event_created, recorded_at)
                VALUES (@key, @document, @created, @recorded) ON CONFLICT (entry_key) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("key", UnmatchedEntryKey.Of(entry.Event));
            command.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Jsonb)
            {
                Value = JsonSerializer.Serialize(entry, BillingJsonContext.Default.UnmatchedPayment),
            });
            command.Parameters.AddWithValue("created", entry.Event.Created.ToUniversalTime());
            command.Parameters.AddWithValue("recorded", entry.RecordedAt.ToUniversalTime());
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<UnmatchedPayment>> ListAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<UnmatchedPayment>>(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT document::text FROM unmatched_payments ORDER BY event_created, entry_key", connection);
            var entries = new List<UnmatchedPayment>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (JsonSerializer.Deserialize(reader.GetString(0), BillingJsonContext.Default.UnmatchedPayment) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            return entries;
        }, cancellationToken);

    public Task ResolveAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM unmatched_payments WHERE entry_key = @key", connection);
            command.Parameters.AddWithValue("key", UnmatchedEntryKey.Of(paymentEvent));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
}
