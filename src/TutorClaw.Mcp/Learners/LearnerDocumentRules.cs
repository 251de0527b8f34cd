namespace TutorClaw.Mcp.Learners;

/// <summary>
/// The rules every store applies when it rewrites a learner document, in one place so the file
/// store and PostgreSQL cannot drift apart: a tier edited by hand is recorded as an operator fact
/// before anything else changes it; a document from elsewhere (the tutorial's shape, an older
/// schema) gives its phone to the phone index and keeps no phone itself; every stored document
/// carries the current schema version and the time it was written.
/// </summary>
public static class LearnerDocumentRules
{
    /// <summary>
    /// Applies <paramref name="change"/> to <paramref name="stored"/> under these rules.
    /// <see cref="DocumentUpdate.Changed"/> is null when there is nothing to write.
    /// </summary>
    /// <param name="writtenAt">When the stored document was last written (dates a hand edit).</param>
    /// <param name="indexPhone">Binds a phone key to the learner unless bound already, in the
    /// store's own way (a phone already bound to another learner stays theirs).</param>
    public static async Task<DocumentUpdate> UpdateAsync(
        Learner stored,
        DateTimeOffset writtenAt,
        Func<Learner, Learner> change,
        Func<string, Task> indexPhone,
        DateTimeOffset now)
    {
        var current = TierRules.HasUnrecordedHandEdit(stored) ? TierRules.RecordHandEdit(stored, writtenAt) : stored;
        var changed = change(current);
        if (ReferenceEquals(changed, current))
        {
            return new DocumentUpdate(current, null);
        }
        if (changed.LearnerId != stored.LearnerId)
        {
            throw new InvalidOperationException("An update may not change a learner's id.");
        }
        if (changed.SchemaVersion < Learner.CurrentSchemaVersion && changed.Phone is { } phone)
        {
            // Only international forms are read here (the store has no default region); the number
            // itself leaves the document either way, as no learner document keeps a phone.
            if (PhoneNormalizer.ToE164(phone, defaultRegion: null) is { } e164)
            {
                await indexPhone(PhoneNormalizer.Key(e164)).ConfigureAwait(false);
            }
            changed = changed with { Phone = null };
        }
        return new DocumentUpdate(current, changed with { UpdatedAt = now, SchemaVersion = Learner.CurrentSchemaVersion });
    }
}

/// <summary>The learner as read (with any hand edit recorded) and the document to store, if any.</summary>
public sealed record DocumentUpdate(Learner Current, Learner? Changed);
