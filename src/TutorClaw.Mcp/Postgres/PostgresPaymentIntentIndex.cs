using Npgsql;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

/// <summary>Payment-intent bindings in PostgreSQL (<c>payment_intents</c>): the first binding wins.</summary>
public sealed class PostgresPaymentIntentIndex(PostgresDatabase database) : IPaymentIntentIndex
{
    public async Task BindAsync(string paymentIntentId, LearnerId learner, CancellationToken cancellationToken)
    {
        if (!StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            return;
        }
        await database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO payment_intents (payment_intent_id, learner_id) VALUES (@pi, @learner) ON CONFLICT (payment_intent_id) DO NOTHING",
                connection);
            command.Parameters.AddWithValue("pi", paymentIntentId);
            command.Parameters.AddWithValue("learner", learner.Value);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LearnerId?> FindAsync(string? paymentIntentId, CancellationToken cancellationToken)
    {
        if (!StripeIds.IsSafeToken(paymentIntentId, "pi_"))
        {
            return null;
        }
        var owner = await database.RunAsync(async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("SELECT learner_id FROM payment_intents WHERE payment_intent_id = @pi", connection);
            command.Parameters.AddWithValue("pi", paymentIntentId!);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }, cancellationToken).ConfigureAwait(false);
        return LearnerId.TryParse(owner, out var id) ? id : null;
    }
}
