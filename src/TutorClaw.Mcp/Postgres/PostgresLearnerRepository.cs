using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// Learners in PostgreSQL: one row per learner holding the same JSON document as the file store
/// (as <c>jsonb</c>). No cache: every read asks the database, so every replica sees every commit.
/// Updates of one learner serialize on its row (<c>SELECT … FOR UPDATE</c> in a transaction), across
/// connections, processes and machines. A database failure surfaces as <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed class PostgresLearnerRepository(PostgresDatabase database, TimeProvider clock) : ILearnerRepository
{
    /// <summary>Ids per round trip when listing; a page holds no connection while the caller works.</summary>
    public const int ListPageSize = 1000;

    public string Kind => "postgres";

    public string Location => database.Location;

    public Task<Learner?> FindAsync(LearnerId id, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("SELECT document FROM learners WHERE learner_id = @id", connection);
            command.Parameters.AddWithValue("id", id.Value);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? Deserialize(id, json) : null;
        }, cancellationToken);

    public Task<bool> TryCreateAsync(Learner learner, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO learners (learner_id, document) VALUES (@id, @document) ON CONFLICT (learner_id) DO NOTHING", connection);
            command.Parameters.AddWithValue("id", learner.LearnerId.Value);
            command.Parameters.Add(Document(learner));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    /// <summary>
    /// Copies <paramref name="learner"/> as it is (the migration from files) with its applied event
    /// ids, in one transaction; what is there already stays. Returns whether the learner was
    /// created and how many of its event ids were new.
    /// </summary>
    public Task<(bool Created, int NewEvents)> ImportAsync(Learner learner, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            bool created;
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO learners (learner_id, document) VALUES (@id, @document) ON CONFLICT (learner_id) DO NOTHING", connection, transaction))
            {
                insert.Parameters.AddWithValue("id", learner.LearnerId.Value);
                insert.Parameters.Add(Document(learner));
                created = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            }
            int newEvents;
            await using (var events = new NpgsqlCommand(
                "INSERT INTO applied_events (event_id, learner_id) SELECT unnest(@events), @learner ON CONFLICT (event_id) DO NOTHING",
                connection, transaction))
            {
                events.Parameters.AddWithValue("events", learner.AppliedEventIds.Where(e => e.StartsWith("evt_", StringComparison.Ordinal)).ToArray());
                events.Parameters.AddWithValue("learner", learner.LearnerId.Value);
                newEvents = await events.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (created, newEvents);
        }, cancellationToken);

    public Task<Learner?> UpdateAsync(LearnerId id, Func<Learner, Learner> change, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            string? json;
            await using (var select = new NpgsqlCommand("SELECT document FROM learners WHERE learner_id = @id FOR UPDATE", connection, transaction))
            {
                select.Parameters.AddWithValue("id", id.Value);
                json = await select.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            }
            if (json is null)
            {
                return null;
            }
            // A row keeps no write time of its own, so a hand edit (an UPDATE by a person) is dated now.
            var now = clock.GetUtcNow();
            var update = await LearnerDocumentRules.UpdateAsync(
                Deserialize(id, json), now, change, phoneKey => IndexPhoneAsync(connection, transaction, phoneKey, id, ct), now).ConfigureAwait(false);
            if (update.Changed is not { } changed)
            {
                // Nothing to do: the transaction ends without a write (disposing it rolls back).
                return update.Current;
            }
            if (!await RecordAppliedEventsAsync(connection, transaction, update.Current, changed, ct).ConfigureAwait(false))
            {
                // Another transaction recorded one of these events first: it is applied, this is not.
                return update.Current;
            }
            await using (var write = new NpgsqlCommand("UPDATE learners SET document = @document WHERE learner_id = @id", connection, transaction))
            {
                write.Parameters.AddWithValue("id", id.Value);
                write.Parameters.Add(Document(changed));
                await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return changed;
        }, cancellationToken);

    /// <summary>One probe of the unique index on <c>(document-&gt;&gt;'upgrade_token')</c> (schema
    /// version 2); the predicate must stay exactly that expression for the index to serve it.</summary>
    public Task<Learner?> FindByUpgradeTokenAsync(string token, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("SELECT learner_id, document FROM learners WHERE document->>'upgrade_token' = @token", connection);
            command.Parameters.AddWithValue("token", token);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) && LearnerId.TryParse(reader.GetString(0), out var id)
                ? Deserialize(id, reader.GetString(1))
                : null;
        }, cancellationToken);

    /// <summary>
    /// Inserts the Stripe event ids this change adds into <c>applied_events</c>, in the transaction
    /// that stores their effect, so the effect and "applied" commit together. The unique key
    /// decides: false when any of them is there already (the caller then writes nothing).
    /// </summary>
    private static async Task<bool> RecordAppliedEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Learner before, Learner after, CancellationToken cancellationToken)
    {
        var added = after.AppliedEventIds.Except(before.AppliedEventIds, StringComparer.Ordinal)
            .Where(e => e.StartsWith("evt_", StringComparison.Ordinal))
            .ToArray();
        if (added.Length == 0)
        {
            return true;
        }
        await using var insert = new NpgsqlCommand(
            "INSERT INTO applied_events (event_id, learner_id) SELECT unnest(@events), @learner ON CONFLICT (event_id) DO NOTHING",
            connection, transaction);
        insert.Parameters.AddWithValue("events", added);
        insert.Parameters.AddWithValue("learner", after.LearnerId.Value);
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == added.Length;
    }

    /// <summary>Adopting a document's phone: the first binding wins, in the update's transaction.</summary>
    private static async Task IndexPhoneAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string phoneKey, LearnerId learner, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO phone_index (phone_key, learner_id) VALUES (@key, @learner) ON CONFLICT (phone_key) DO NOTHING",
            connection, transaction);
        insert.Parameters.AddWithValue("key", phoneKey);
        insert.Parameters.AddWithValue("learner", learner.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<LearnerId> ClaimPhoneAsync(string phoneKey, LearnerId candidate, CancellationToken cancellationToken)
    {
        if (phoneKey.Length == 0 || !phoneKey.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A phone key is a lowercase hex digest.", nameof(phoneKey));
        }
        return database.RunAsync(async (connection, ct) =>
        {
            // Two statements, not one: under READ COMMITTED the SELECT takes a fresh snapshot, so it
            // sees a concurrent claim that the INSERT waited for and then yielded to.
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("INSERT INTO phone_index (phone_key, learner_id) VALUES ($1, $2) ON CONFLICT (phone_key) DO NOTHING")
                    {
                        Parameters = { new() { Value = phoneKey }, new() { Value = candidate.Value } },
                    },
                    new NpgsqlBatchCommand("SELECT learner_id FROM phone_index WHERE phone_key = $1")
                    {
                        Parameters = { new() { Value = phoneKey } },
                    },
                },
            };
            var owner = await batch.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            return LearnerId.TryParse(owner, out var id)
                ? id
                : throw new InvalidDataException($"The phone index entry {phoneKey} does not hold a learner id.");
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LearnerId> ListIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = "";
        while (true)
        {
            var page = await ListPageAsync(after, cancellationToken).ConfigureAwait(false);
            foreach (var id in page)
            {
                yield return id;
            }
            if (page.Count < ListPageSize)
            {
                yield break;
            }
            after = page[^1].Value;
        }
    }

    private Task<List<LearnerId>> ListPageAsync(string after, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT learner_id FROM learners WHERE learner_id > @after ORDER BY learner_id LIMIT @limit", connection);
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("limit", ListPageSize);
            var ids = new List<LearnerId>(ListPageSize);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (LearnerId.TryParse(reader.GetString(0), out var id))
                {
                    ids.Add(id);
                }
            }
            return ids;
        }, cancellationToken);

    private static NpgsqlParameter Document(Learner learner) => new("document", NpgsqlDbType.Jsonb)
    {
        Value = JsonSerializer.Serialize(learner, LearnerJsonContext.Default.Learner),
    };

    private static Learner Deserialize(LearnerId id, string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, LearnerJsonContext.Default.Learner)
                ?? throw new InvalidDataException($"The document of learner {id} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The document of learner {id} is not valid JSON.", e);
        }
    }
}
