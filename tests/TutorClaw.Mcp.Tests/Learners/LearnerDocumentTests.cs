using System.Text.Json;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Learners;

/// <summary>
/// The learner file as a person and the TutorClaw tutorial see it: the stored tier is read as it
/// is, the tutorial's shape loads without a migration, hand edits are recorded by the first
/// rewrite, and fields we do not know survive our rewrites.
/// </summary>
public sealed class LearnerDocumentTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly LearnerId Tutorial = LearnerId.Parse("learner_001");
    private const string TutorialDocument = """
        {
          "learner_id": "learner_001",
          "name": "Zoë",
          "tier": "paid",
          "phone": "+1 555 010 0009",
          "chapter": 4,
          "notes": { "tutor": "prefers voice notes", "tags": ["evening"] }
        }
        """;

    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new();
    private readonly FileLearnerRepository _repository;

    public LearnerDocumentTests()
    {
        _repository = new FileLearnerRepository(_temp.Combine("data"), _clock);
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    private string PathOf(LearnerId id) => _temp.Combine("data", "learners", id.Value + ".json");

    private void WriteByHand(LearnerId id, string json, DateTimeOffset? writtenAt = null)
    {
        File.WriteAllText(PathOf(id), json);
        if (writtenAt is { } at)
        {
            File.SetLastWriteTimeUtc(PathOf(id), at.UtcDateTime);
        }
    }

    /// <summary>What a person does: changes the document's own "tier" (the first one), nothing else.</summary>
    private static string EditTier(string json, string tier)
    {
        var at = json.IndexOf("\"tier\": \"", StringComparison.Ordinal);
        var end = json.IndexOf('"', at + "\"tier\": \"".Length);
        return json[..at] + $"\"tier\": \"{tier}" + json[end..];
    }

    private JsonElement OnDisk(LearnerId id) => JsonDocument.Parse(File.ReadAllText(PathOf(id))).RootElement.Clone();

    [Fact]
    public async Task A_tutorial_shaped_document_loads_with_its_stored_tier_and_defaults()
    {
        var writtenAt = DateTimeOffset.Parse("2026-10-01T08:00:00Z");
        WriteByHand(Tutorial, TutorialDocument, writtenAt);

        var learner = await _repository.FindAsync(Tutorial, None);

        Assert.NotNull(learner);
        Assert.Equal(Tier.Paid, learner.Tier);
        Assert.Equal("Zoë", learner.Name);
        Assert.Equal("+1 555 010 0009", learner.Phone);
        Assert.Empty(learner.Checkouts);
        Assert.Empty(learner.OperatorFacts);
        Assert.Equal(writtenAt, learner.CreatedAt);
        Assert.Null(learner.TierChangedAt);
        Assert.Equal(0, learner.SchemaVersion);
        Assert.Equal(4, learner.OtherFields!["chapter"].GetInt32());
    }

    [Fact]
    public async Task A_read_writes_nothing_even_when_the_tier_was_edited_by_hand()
    {
        WriteByHand(Tutorial, TutorialDocument);
        var before = _temp.Snapshot();

        await _repository.FindAsync(Tutorial, None);

        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public async Task Unknown_fields_survive_a_rewrite()
    {
        WriteByHand(Tutorial, TutorialDocument);

        await _repository.UpdateAsync(Tutorial, l => l with { Name = "Zoë K" }, None);

        var root = OnDisk(Tutorial);
        Assert.Equal("Zoë K", root.GetProperty("name").GetString());
        Assert.Equal(4, root.GetProperty("chapter").GetInt32());
        Assert.Equal("prefers voice notes", root.GetProperty("notes").GetProperty("tutor").GetString());
        Assert.Equal("evening", root.GetProperty("notes").GetProperty("tags")[0].GetString());
        Assert.Equal(Learner.CurrentSchemaVersion, root.GetProperty("schema_version").GetInt32());
    }

    [Fact]
    public async Task The_first_rewrite_records_the_tutorial_tier_as_a_hand_edit_dated_by_the_file()
    {
        var writtenAt = DateTimeOffset.Parse("2026-10-01T08:00:00Z");
        WriteByHand(Tutorial, TutorialDocument, writtenAt);

        var first = await _repository.UpdateAsync(Tutorial, l => l with { }, None);
        var second = await _repository.UpdateAsync(Tutorial, l => l with { }, None);

        Assert.Equal(Tier.Paid, second!.Tier);
        var fact = Assert.Single(second.OperatorFacts);
        Assert.Equal(new OperatorFact(writtenAt, OperatorAction.HandEdit, Tier.Paid), fact);
        Assert.Equal(first!.OperatorFacts, second.OperatorFacts);
        var onDisk = OnDisk(Tutorial).GetProperty("operator_facts")[0];
        Assert.Equal("hand_edit", onDisk.GetProperty("action").GetString());
        Assert.Equal("paid", onDisk.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task A_hand_edit_from_paid_to_free_is_seen_at_the_next_read_and_recorded_by_the_next_rewrite()
    {
        var id = LearnerId.Parse("lrn_edited");
        await _repository.TryCreateAsync(Learner.CreateFree(id, "Ada", _clock.GetUtcNow()), None);
        await _repository.UpdateAsync(id, l => TierRules.DecideByOperator(l, OperatorAction.Grant, "scholarship", _clock.GetUtcNow()), None);
        var editedAt = _clock.GetUtcNow().AddDays(1);
        WriteByHand(id, EditTier(File.ReadAllText(PathOf(id)), "free"), editedAt);

        var read = await _repository.FindAsync(id, None);
        var rewritten = await _repository.UpdateAsync(id, l => l with { }, None);

        Assert.Equal(Tier.Free, read!.Tier);
        Assert.Equal(Tier.Free, rewritten!.Tier);
        Assert.Equal([OperatorAction.Grant, OperatorAction.HandEdit], rewritten.OperatorFacts.Select(f => f.Action));
        Assert.Equal(editedAt, rewritten.OperatorFacts[^1].At);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_does_not_record_a_hand_edit()
    {
        WriteByHand(Tutorial, TutorialDocument);

        var unchanged = await _repository.UpdateAsync(Tutorial, l => l, None);

        Assert.Equal(Tier.Paid, unchanged!.Tier);
        Assert.Equal(TutorialDocument, File.ReadAllText(PathOf(Tutorial)));
    }

    [Fact]
    public async Task A_phone_in_a_tutorial_document_is_indexed_when_it_is_first_rewritten()
    {
        WriteByHand(Tutorial, TutorialDocument);
        var registration = LearnerRegistrationTests.Registration(_repository, _clock);

        await _repository.UpdateAsync(Tutorial, l => l with { }, None);
        var again = await registration.RegisterAsync("Zoë", "+15550100009", None);

        var registered = Assert.IsType<RegistrationResult.Registered>(again);
        Assert.Equal(Tutorial, registered.Learner.LearnerId);
        Assert.False(registered.Created);
        Assert.Equal(Tier.Paid, registered.Learner.Tier);
        Assert.DoesNotContain("555", File.ReadAllText(PathOf(Tutorial)));
    }
}
