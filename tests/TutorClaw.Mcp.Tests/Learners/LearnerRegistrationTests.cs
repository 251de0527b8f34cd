using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
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
        _registration = Registration(_repository, _clock);
    }

    /// <summary>Registration as the server composes it, over <paramref name="repository"/>.</summary>
    public static LearnerRegistration Registration(ILearnerRepository repository, TimeProvider clock, string? defaultRegion = null)
    {
        var phones = Phones(defaultRegion);
        return new LearnerRegistration(repository, phones, new PhoneIndexUpgrade(repository, phones, NullLogger<PhoneIndexUpgrade>.Instance), clock);
    }

    private static PhoneNormalizer Phones(string? defaultRegion = null) =>
        new(Options.Create(new ServerOptions { DefaultRegion = defaultRegion }));

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
        Assert.Null(b.Learner.Phone);
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
        var registrations = new[] { _registration, Registration(other, _clock) };
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
        Assert.Equal(PhoneNormalizer.Key("+15551234567"), entry);
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
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("447700900999", "+447700900999")]
    [InlineData("0044 7700 900999", "+447700900999")]
    [InlineData("whatsapp:+447700900999", "+447700900999")]
    [InlineData("WhatsApp: +44 7700 900999", "+447700900999")]
    [InlineData("tel:+44-7700-900999", "+447700900999")]
    [InlineData("07700 900999", null)]
    [InlineData("+999 1234 5678", null)]
    public void Phones_are_normalized_to_e164(string phone, string? expected)
    {
        Assert.Equal(expected, Phones().ToE164(phone));
    }

    [Theory]
    [InlineData("07700 900999", "+447700900999")]
    [InlineData("447700900999", "+447700900999")]
    [InlineData("+1 555 123 4567", "+15551234567")]
    public void A_default_region_reads_national_numbers_and_keeps_international_ones(string phone, string expected)
    {
        Assert.Equal(expected, Phones("GB").ToE164(phone));
    }

    [Fact]
    public async Task The_same_phone_as_typed_by_a_person_by_WhatsApp_and_by_Twilio_is_one_learner()
    {
        string[] formats = ["+447700900999", "447700900999", "0044 7700 900999", "whatsapp:+447700900999"];

        var results = new List<RegistrationResult.Registered>();
        foreach (var phone in formats)
        {
            results.Add(Assert.IsType<RegistrationResult.Registered>(await _registration.RegisterAsync("Ada", phone, None)));
        }

        Assert.Single(results.Select(r => r.Learner.LearnerId).Distinct());
        Assert.Single(Directory.GetFiles(LearnersDirectory));
    }

    [Fact]
    public async Task An_impossible_phone_number_is_refused_with_a_sentence_saying_so()
    {
        var result = await _registration.RegisterAsync("Ada", "+44 12", None);

        var invalid = Assert.IsType<RegistrationResult.Invalid>(result);
        Assert.Contains("not a possible phone number", invalid.Reason);
        Assert.Empty(Directory.GetFiles(LearnersDirectory));
    }

    [Fact]
    public async Task No_file_under_the_data_directory_holds_the_phone_number()
    {
        await _registration.RegisterAsync("Ada", "+44 7700 900999", None);
        await _registration.RegisterAsync("Ada", "447700900999", None);

        foreach (var file in Directory.GetFiles(_temp.Combine("data"), "*", SearchOption.AllDirectories))
        {
            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("7700900999", text.Replace(" ", "", StringComparison.Ordinal));
            Assert.DoesNotContain("7700900999", Path.GetFileName(file));
        }
    }

    [Fact]
    public async Task A_learner_indexed_the_old_way_is_found_under_any_format_after_the_startup_upgrade()
    {
        // Before issue 12: the index key was a digest of the phone as typed (digits, optional +),
        // and the document held that phone.
        var legacy = LearnerId.Parse("lrn_legacy_whatsapp");
        var oldDocument = $$"""
            { "schema_version": 1, "learner_id": "{{legacy.Value}}", "name": "Old Ada", "phone": "447700900999",
              "created_at": "2026-11-01T00:00:00+00:00", "updated_at": "2026-11-01T00:00:00+00:00",
              "tier_changed_at": "2026-11-01T00:00:00+00:00", "checkouts": [], "applied_event_ids": [] }
            """;
        await File.WriteAllTextAsync(Path.Combine(LearnersDirectory, legacy.Value + ".json"), oldDocument);
        await File.WriteAllTextAsync(_temp.Combine("data", "phones", PhoneNormalizer.Key("447700900999")), legacy.Value);
        var phones = Phones();
        var upgrade = new PhoneIndexUpgrade(_repository, phones, NullLogger<PhoneIndexUpgrade>.Instance);

        await upgrade.StartAsync(None);
        await upgrade.Completion;
        var again = Assert.IsType<RegistrationResult.Registered>(
            await new LearnerRegistration(_repository, phones, upgrade, _clock).RegisterAsync("Ada", "+44 7700 900999", None));

        Assert.Equal(legacy, again.Learner.LearnerId);
        Assert.False(again.Created);
        Assert.Null((await _repository.FindAsync(legacy, None))!.Phone);
        Assert.DoesNotContain("7700900999", await File.ReadAllTextAsync(Path.Combine(LearnersDirectory, legacy.Value + ".json")));
        Assert.Equal(0, await upgrade.RunAsync(None));
    }
}
