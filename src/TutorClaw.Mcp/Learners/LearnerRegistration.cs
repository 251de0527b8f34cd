using System.Security.Cryptography;
using System.Text;

namespace TutorClaw.Mcp.Learners;

/// <summary>register_learner's rules: a new free learner, or the existing one for a known phone.</summary>
public sealed class LearnerRegistration(ILearnerRepository repository, TimeProvider clock)
{
    public const int MaxNameLength = 200;

    public async Task<RegistrationResult> RegisterAsync(string? name, string? phone, CancellationToken cancellationToken)
    {
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length == 0 || trimmedName.Length > MaxNameLength || trimmedName.Any(char.IsControl))
        {
            return new RegistrationResult.Invalid($"A name is required: 1 to {MaxNameLength} characters, no control characters.");
        }
        string? normalizedPhone = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            normalizedPhone = NormalizePhone(phone);
            if (normalizedPhone is null)
            {
                return new RegistrationResult.Invalid("The phone number should be digits, optionally with a leading + (for example +15551234567).");
            }
        }

        var candidate = LearnerId.New();
        var id = normalizedPhone is null
            ? candidate
            : await repository.ClaimPhoneAsync(PhoneKey(normalizedPhone), candidate, cancellationToken).ConfigureAwait(false);

        var fresh = Learner.CreateFree(id, trimmedName, normalizedPhone, clock.GetUtcNow());
        if (await repository.TryCreateAsync(fresh, cancellationToken).ConfigureAwait(false))
        {
            return new RegistrationResult.Registered(fresh, Created: true);
        }
        var existing = await repository.FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Learner {id} exists and does not exist.");
        return new RegistrationResult.Registered(existing, Created: false);
    }

    /// <summary>Digits only, keeping a leading +; 6 to 20 digits. "+1 (555) 123-4567" and "+15551234567" are one phone.</summary>
    public static string? NormalizePhone(string phone)
    {
        var builder = new StringBuilder();
        var trimmed = phone.Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c == '+' && builder.Length == 0 && i == 0)
            {
                builder.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.'))
            {
                return null;
            }
        }
        var digits = builder.ToString().TrimStart('+').Length;
        return digits is >= 6 and <= 20 ? builder.ToString() : null;
    }

    /// <summary>The index key is a digest, so the index directory holds no phone numbers.</summary>
    public static string PhoneKey(string normalizedPhone) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedPhone)));
}
