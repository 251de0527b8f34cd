namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// The PostgreSQL store's schema as versioned migrations. Append a new migration for every change;
/// never edit one that has shipped (a database remembers which versions it has applied).
/// </summary>
public static class PostgresSchema
{
    public static readonly IReadOnlyList<PostgresMigration> Migrations =
    [
        new(1, "all state of the file store", """
            -- One row per learner: the same JSON document the file store keeps in learners/<id>.json.
            -- Byte order ("C") for ids, so listing pages by id follow the primary key's index.
            CREATE TABLE learners (
                learner_id text COLLATE "C" PRIMARY KEY CHECK (learner_id ~ '^[A-Za-z0-9_-]{1,64}$'),
                document jsonb NOT NULL CHECK (document->>'learner_id' = learner_id),
                -- For operators ("how many paid learners?"); the document stays the truth.
                tier text GENERATED ALWAYS AS (document->>'tier') STORED
            );

            -- Phone digest -> learner (phones/<digest>). Claimed before the learner row exists, so no foreign key.
            CREATE TABLE phone_index (
                phone_key text PRIMARY KEY CHECK (phone_key ~ '^[0-9a-f]{1,128}$'),
                learner_id text NOT NULL CHECK (learner_id ~ '^[A-Za-z0-9_-]{1,64}$'),
                claimed_at timestamptz NOT NULL DEFAULT now()
            );

            -- pi_... -> learner (payment-intents/<pi>); the first binding wins and never changes.
            CREATE TABLE payment_intents (
                payment_intent_id text PRIMARY KEY CHECK (payment_intent_id LIKE 'pi\_%'),
                learner_id text NOT NULL CHECK (learner_id ~ '^[A-Za-z0-9_-]{1,64}$'),
                bound_at timestamptz NOT NULL DEFAULT now()
            );

            -- Every Stripe event applied, once: committed in the same transaction as its effect.
            CREATE TABLE applied_events (
                event_id text PRIMARY KEY CHECK (event_id LIKE 'evt\_%'),
                learner_id text CHECK (learner_id ~ '^[A-Za-z0-9_-]{1,64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX applied_events_learner ON applied_events (learner_id);

            -- Verified events no learner could be found for (unmatched/<event id>.json), until applied.
            CREATE TABLE unmatched_payments (
                entry_key text PRIMARY KEY,
                document jsonb NOT NULL,
                event_created timestamptz NOT NULL,
                recorded_at timestamptz NOT NULL
            );
            CREATE INDEX unmatched_payments_created ON unmatched_payments (event_created);

            -- How far reconciliation has got (one row).
            CREATE TABLE reconciliation_cursor (
                id smallint PRIMARY KEY CHECK (id = 1),
                document jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        new(2, "upgrade token index", """
            -- The stable link /pay/<token> finds its learner through this index instead of scanning
            -- every document, and a token can belong to one learner only. Learners without a token
            -- (NULL) do not collide: a unique index treats NULLs as distinct.
            CREATE UNIQUE INDEX learners_upgrade_token ON learners ((document->>'upgrade_token'));
            """),
    ];

    /// <summary>The newest schema this build knows.</summary>
    public static int LatestVersion => Migrations[^1].Version;
}
