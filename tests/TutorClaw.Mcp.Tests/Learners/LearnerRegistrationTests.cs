using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Learners;

public sealed class LearnerRegistrationTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new();
    private readonly FileLearnerRepository _repository;
    private readonly LearnerRegistration _registration;

    public LearnerRegistrationTests()
    {
        _repository = new FileLearnerRepository(_temp.Combine("data"), _clock);
        _registration = new LearnerRegistration(_repository, _clock);
    }

    private string LearnersDirectory => _temp.Combine("data", "learners");

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_new_learner_is_stored_on_the_free_tier()
    {
        var registered = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("  Ada  ", null, None));

        Assert.True(registered.Created);
        Assert.Equal("Ada", registered.Learner.Name);
        Assert.Equal(Tier.Free, registered.Learner.Tier);
        Assert.Equal(ManualClock.Start, registered.Learner.CreatedAt);
        var stored = await _repository.FindAsync(registered.Learner.LearnerId, None);
        Assert.Equal("Ada", stored!.Name);
    }

    [Fact]
    public async Task Learners_without_a_phone_are_always_new()
    {
        var first = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", null, None));
        var second = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", "   ", None));

        Assert.NotEqual(first.Learner.LearnerId, second.Learner.LearnerId);
        Assert.True(second.Created);
        Assert.Null(second.Learner.Phone);
    }

    [Theory]
    [InlineData("+1 555 123 4567", "+15551234567")]
    [InlineData("+15551234567", "+1 (555) 123-4567")]
    [InlineData("+1.555.123.4567", " +15551234567 ")]
    public async Task The_same_phone_in_different_formats_is_the_same_learner(string first, string second)
    {
        var a = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", first, None));
        var b = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada again", second, None));

        Assert.True(a.Created);
        Assert.False(b.Created);
        Assert.Equal(a.Learner.LearnerId, b.Learner.LearnerId);
        Assert.Equal("Ada", b.Learner.Name);
        Assert.Equal("+15551234567", b.Learner.Phone);
        Assert.Single(Directory.GetFiles(LearnersDirectory));
    }

    [Fact]
    public async Task Different_phones_are_different_learners()
    {
        var a = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", "+15551234567", None));
        var b = Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", "+15551234568", None));

        Assert.NotEqual(a.Learner.LearnerId, b.Learner.LearnerId);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_phone_make_one_learner()
    {
        using var other = new FileLearnerRepository(_temp.Combine("data"), _clock);
        var registrations = new[] { _registration, new LearnerRegistration(other, _clock) };
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var phone = i % 2 == 0 ? "+1 555 123 4567" : "+15551234567";
            return await registrations[i % 2].RegisterAsync($"Ada {i}", phone, None);
        })).ToList();
        start.Set();
        var results = (await Task.WhenAll(attempts)).Cast<RegistrationResult.Registered>().ToList();

        var id = Assert.Single(results.Select(r => r.Learner.LearnerId).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Learner.Name).Distinct());
        Assert.Equal([id.Value + ".json"], Directory.GetFiles(LearnersDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_phone_index_holds_no_phone_numbers()
    {
        await _registration.RegisterAsync("Ada", "+15551234567", None);

        var entries = Directory.GetFiles(_temp.Combine("data", "phones")).Select(Path.GetFileName).ToList();

        var entry = Assert.Single(entries);
        Assert.DoesNotContain("5551234567", entry);
        Assert.Equal(LearnerRegistration.PhoneKey("+15551234567"), entry);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Ada\nLovelace")]
    [InlineData("Ada\0")]
    [InlineData("\u0007")]
    public async Task Invalid_names_are_refused_and_nothing_is_stored(string? name)
    {
        var result = await _registration.RegisterAsync(name, "+15551234567", None);

        Assert.IsType<RegistrationResult.Invalid>(result);
        Assert.Empty(Directory.GetFiles(LearnersDirectory));
        Assert.Empty(Directory.GetFiles(_temp.Combine("data", "phones")));
    }

    [Fact]
    public async Task A_name_longer_than_200_characters_is_refused_and_200_is_accepted()
    {
        var tooLong = await _registration.RegisterAsync(new string('a', LearnerRegistration.MaxNameLength + 1), null, None);
        var longest = await _registration.RegisterAsync(new string('a', LearnerRegistration.MaxNameLength), null, None);

        Assert.IsType<RegistrationResult.Invalid>(tooLong);
        Assert.IsType<RegistrationResult.Registered>(longest);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("+")]
    [InlineData("12345")]
    [InlineData("+1 2345")]
    [InlineData("123456789012345678901")]
    [InlineData("++15551234567")]
    [InlineData("1+5551234567")]
    [InlineData("+1 555 123 4567 ext 8")]
    [InlineData("+1/555/1234567")]
    [InlineData("+１５５５１２３４５６７")]
    [InlineData("+1555123456\u200f7")]
    public async Task Invalid_phones_are_refused_and_nothing_is_stored(string phone)
    {
        var result = await _registration.RegisterAsync("Ada", phone, None);

        var invalid = Assert.IsType<RegistrationResult.Invalid>(result);
        Assert.Contains("phone", invalid.Reason);
        Assert.Empty(Directory.GetFiles(LearnersDirectory));
        Assert.Empty(Directory.GetFiles(_temp.Combine("data", "phones")));
    }

    [Theory]
    [InlineData("+1 555 123 4567", "+15551234567")]
    [InlineData("(555) 123-4567", "5551234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("123456", "123456")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    public void Phones_are_normalized_to_digits_with_an_optional_leading_plus(string phone, string expected)
    {
        Assert.Equal(expected, LearnerRegistration.NormalizePhone(phone));
    }
}
