using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// <c>migrate --from-files DIR</c>: copies a file store into the PostgreSQL store of
/// TUTORCLAW_DATABASE_URL — the cursor, every learner with its applied event ids, the unmatched
/// log, the phone index and the payment-intent bindings. Every copy is an insert that keeps what
/// is there already, so running it again (after an interruption, or twice) copies only what is
/// missing and never overwrites what the PostgreSQL store has since changed.
/// </summary>
public sealed class MigrateFromFilesCommand(string sourceDirectory)
{
    /// <summary>A progress line every this many learners.</summary>
    public const int ProgressEvery = 100;

    /// <summary>The command's registration in <see cref="CommandLineDefinition.Root"/>.</summary>
    public static ServiceCommand Definition()
    {
        var from = new Option<string>("--from-files")
        {
            Description = "The data directory of the file store to copy (TUTORCLAW_DATA_DIR of the embedded server).",
            HelpName = "DIR",
            Required = true,
        };
        return new ServiceCommand(
            "migrate",
            "Copy a file store into the PostgreSQL store of TUTORCLAW_DATABASE_URL. Idempotent: run it again to resume.",
            parsed => new MigrateFromFilesCommand(parsed.GetValue(from)!).RunAsync)
        {
            from,
        };
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured)
        {
            await Console.Error.WriteLineAsync($"migrate: set {ConfigurationKeys.DatabaseUrl} to the PostgreSQL store to copy into.");
            return CommandLine.ExitUsage;
        }
        var source = Path.GetFullPath(sourceDirectory);
        if (!Directory.Exists(Path.Combine(source, "learners")))
        {
            await Console.Error.WriteLineAsync($"migrate: {source} is not a file store (it has no learners/ directory).");
            return CommandLine.ExitUsage;
        }
        var database = services.GetRequiredService<PostgresDatabase>();
        var clock = services.GetRequiredService<TimeProvider>();
        using var files = new FileStore(Options.Create(new StorageOptions { DataDirectory = source }), clock);
        var target = new PostgresStore(database, clock);
        var unmatchedTarget = new PostgresUnmatchedPaymentLog(database);
        var learnersTarget = new PostgresLearnerRepository(database, clock);
        await output.WriteLineAsync($"migrate: copying {source} into {database.Location}");

        // The cursor first, so the copy's starting point is never ahead of the documents; one the
        // PostgreSQL store already has (it has reconciled since) is kept.
        var cursor = await files.Reconciliation.ReadAsync(cancellationToken).ConfigureAwait(false);
        var cursorCopied = cursor != new ReconciliationCursor(null, null)
            && await target.Reconciliation.ReadAsync(cancellationToken).ConfigureAwait(false) == new ReconciliationCursor(null, null);
        if (cursorCopied)
        {
            await target.Reconciliation.SaveAsync(cursor, cancellationToken).ConfigureAwait(false);
        }

        var learners = new Tally("copied", "already there");
        var events = new Tally("copied", "already there");
        await foreach (var id in files.Learners.ListIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await files.Learners.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } learner)
            {
                continue;
            }
            var (created, newEvents) = await learnersTarget.ImportAsync(learner, cancellationToken).ConfigureAwait(false);
            learners.Add(created);
            events.Add(newEvents, learner.AppliedEventIds.Count(e => e.StartsWith("evt_", StringComparison.Ordinal)) - newEvents);
            if (learners.Total % ProgressEvery == 0)
            {
                await output.WriteLineAsync($"migrate: {learners.Total} learners done").ConfigureAwait(false);
            }
        }

        var unmatched = new Tally("copied", "already there");
        var targetKeys = (await target.Unmatched.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(e => UnmatchedEntryKey.Of(e.Event)).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in await files.Unmatched.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            unmatched.Add(!targetKeys.Contains(UnmatchedEntryKey.Of(entry.Event)));
            await unmatchedTarget.RecordAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        var phones = new Tally("in place", "kept by another learner");
        foreach (var (key, owner) in IndexEntries(source, "phones", name => name.All(char.IsAsciiHexDigitLower)))
        {
            phones.Add(await target.Learners.ClaimPhoneAsync(key, owner, cancellationToken).ConfigureAwait(false) == owner);
        }

        var bindings = new Tally("in place", "kept by another learner");
        foreach (var (paymentIntent, owner) in IndexEntries(source, "payment-intents", name => StripeIds.IsSafeToken(name, "pi_")))
        {
            await target.PaymentIntents.BindAsync(paymentIntent, owner, cancellationToken).ConfigureAwait(false);
            bindings.Add(await target.PaymentIntents.FindAsync(paymentIntent, cancellationToken).ConfigureAwait(false) == owner);
        }

        await output.WriteLineAsync($"migrate: learners {learners}; applied event ids {events}; unmatched {unmatched}; "
            + $"phones {phones}; payment intents {bindings}; cursor {(cursorCopied ? "copied" : "kept")}").ConfigureAwait(false);
        return CommandLine.ExitOk;
    }

    /// <summary>The entries of a file-store index directory: file name → the learner id it holds.</summary>
    private static IEnumerable<(string Key, LearnerId Owner)> IndexEntries(string source, string directory, Func<string, bool> isKey)
    {
        var path = Path.Combine(source, directory);
        if (!Directory.Exists(path))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(path).Where(f => !TemporaryFile.IsTemporary(f)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (isKey(name) && LearnerId.TryParse(File.ReadAllText(file, Encoding.ASCII).Trim(), out var owner))
            {
                yield return (name, owner);
            }
        }
    }

    /// <summary>Two counts, e.g. copied now and found already there (a resumed or repeated run).</summary>
    private sealed class Tally(string first, string second)
    {
        private int _copied;
        private int _present;

        public int Total => _copied + _present;

        public void Add(bool copied) => Add(copied ? 1 : 0, copied ? 0 : 1);

        public void Add(int copied, int present)
        {
            _copied += copied;
            _present += present;
        }

        public override string ToString() => $"{_copied} {first}, {_present} {second}";
    }
}
