using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace TutorClaw.Mcp.Learners;

/// <summary>
/// A learner's id: 1–64 characters of [A-Za-z0-9_-]. The only way to get one is through
/// <see cref="TryParse"/> or <see cref="New"/>, so an id that reaches the file system has
/// already been proven harmless as a file name (no separators, dots, NUL or unicode).
/// </summary>
public readonly record struct LearnerId
{
    public const int MaxLength = 64;
    public const string Rule = "a learner id is 1 to 64 characters of letters, digits, '_' or '-'";

    private LearnerId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? text, out LearnerId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }
        id = new LearnerId(text);
        return true;
    }

    public static LearnerId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new ArgumentException($"Not a valid learner id: {Rule}.", nameof(text));

    /// <summary>A fresh random id, "lrn_" and 20 base-32 characters (100 bits).</summary>
    public static LearnerId New()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[24];
        "lrn_".CopyTo(chars);
        for (var i = 0; i < random.Length; i++)
        {
            chars[4 + i] = alphabet[random[i] & 31];
        }
        return new LearnerId(new string(chars));
    }

    public override string ToString() => Value ?? "";
}
