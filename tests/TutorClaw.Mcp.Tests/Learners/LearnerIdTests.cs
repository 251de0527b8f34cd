using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tests.Learners;

public sealed class LearnerIdTests
{
    /// <summary>Strings that must never become a learner id (and so never a file name).</summary>
    public static readonly IReadOnlyList<string?> HostileStrings =
    [
        "../x",
        "..",
        ".",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "../etc/passwd",
        "x.json",
        "",
        null,
        new string('a', LearnerId.MaxLength + 1),
        "a\0b",
        "zoë",
        "ＡＢＣ", // full-width letters
        "\uff11\uff12", // full-width digits
        "abc\u200f", // right-to-left mark
        "\u202eabc", // right-to-left override
        "a b",
        " abc",
        "abc ",
        "\t",
        "a\nb",
        "a:b",
        "a*b",
        "%2e%2e",
    ];

    public static TheoryData<string?> HostileIds() => new(HostileStrings);

    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("0")]
    [InlineData("_")]
    [InlineData("-")]
    [InlineData("lrn_abcdefghij234567")]
    [InlineData("Learner-42_x")]
    public void Valid_ids_parse_and_keep_their_text(string text)
    {
        Assert.True(LearnerId.TryParse(text, out var id));
        Assert.Equal(text, id.Value);
        Assert.Equal(text, LearnerId.Parse(text).Value);
    }

    [Fact]
    public void An_id_of_exactly_64_characters_is_valid()
    {
        var text = new string('x', 62) + "_9";

        Assert.True(LearnerId.TryParse(text, out var id));
        Assert.Equal(64, id.Value.Length);
    }

    [Fact]
    public void Every_allowed_character_is_accepted_together()
    {
        const string text = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

        Assert.True(LearnerId.TryParse(text, out _));
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void Hostile_ids_are_rejected(string? text)
    {
        Assert.False(LearnerId.TryParse(text, out var id));
        Assert.Equal(default, id);
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void Parse_throws_for_hostile_ids_without_echoing_them(string? text)
    {
        var e = Assert.Throws<ArgumentException>(() => LearnerId.Parse(text!));

        Assert.Contains("1 to 64 characters", e.Message);
    }

    [Fact]
    public void Ids_outside_ascii_are_rejected_even_when_they_are_letters_or_digits()
    {
        foreach (var c in new[] { 'ë', 'ß', 'Ａ', '１', 'ا', '٣', 'д' })
        {
            Assert.True(char.IsLetterOrDigit(c));
            Assert.False(LearnerId.TryParse("a" + c, out _), $"U+{(int)c:X4} was accepted");
        }
    }

    [Fact]
    public void New_ids_are_valid_distinct_and_prefixed()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => LearnerId.New()).ToList();

        Assert.All(ids, id =>
        {
            Assert.StartsWith("lrn_", id.Value);
            Assert.Equal(24, id.Value.Length);
            Assert.True(LearnerId.TryParse(id.Value, out var parsed));
            Assert.Equal(id, parsed);
        });
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
