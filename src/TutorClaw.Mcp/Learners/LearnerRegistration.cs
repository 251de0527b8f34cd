namespace TutorClaw.Mcp.Learners;

/// <summary>register_learner's rules: a new free learner, or the existing one for a known phone.</summary>
public sealed class LearnerRegistration(ILearnerRepository repository, PhoneNormalizer phones, PhoneIndexUpgrade phoneIndex, TimeProvider clock)
{
    public const int MaxNameLength = 200;

    public async Task<RegistrationResult> RegisterAsync(string? name, string? phone, CancellationToken cancellationToken)
    {
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length == 0 || trimmedName.Length > MaxNameLength || trimmedName.Any(char.IsControl))
        {
            return new RegistrationResult.Invalid($"A name is required: 1 to {MaxNameLength} characters, no control characters.");
        }
        string? phoneKey = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            if (phones.ToE164(phone) is not { } e164)
            {
                return new RegistrationResult.Invalid(
                    "That is not a possible phone number. Give it with its country code, for example +447700900123 or 447700900123.");
            }
            phoneKey = PhoneNormalizer.Key(e164);
            // Learners registered before numbers were normalized are indexed under their E.164 key
            // at startup; wait for that, or this phone could make a second learner.
            await phoneIndex.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var candidate = LearnerId.New();
        var id = phoneKey is null
            ? candidate
            : await repository.ClaimPhoneAsync(phoneKey, candidate, cancellationToken).ConfigureAwait(false);

        // Only the digest in the phone index links the phone to the learner; the document keeps no number.
        var fresh = Learner.CreateFree(id, trimmedName, clock.GetUtcNow());
        if (await repository.TryCreateAsync(fresh, cancellationToken).ConfigureAwait(false))
        {
            return new RegistrationResult.Registered(fresh, Created: true);
        }
        var existing = await repository.FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Learner {id} exists and does not exist.");
        return new RegistrationResult.Registered(existing, Created: false);
    }
}
