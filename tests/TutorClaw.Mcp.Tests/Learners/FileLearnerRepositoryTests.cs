using TutorClaw.Mcp.TestSupport;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Tests.Learners;

/// <summary>
/// The real file repository on a temporary directory, group-committing through a
/// <see cref="RecordingFlush"/> that sees what each flush carries and can fail one, as a crash
/// between writing the temporary file and renaming it would.
/// </summary>
public sealed class FileLearnerRepositoryTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new();
    private readonly RecordingFlush _flush;
    private readonly FileStoreDisk _disk;
    private readonly FileLearnerRepository _repository;

    public FileLearnerRepositoryTests()
    {
        _flush = new RecordingFlush();
        _disk = new FileStoreDisk(DataDirectory, _flush);
        _repository = new FileLearnerRepository(_disk, _clock);
    }

    private string DataDirectory => _temp.Combine("data");

    private string LearnersDirectory => _temp.Combine("data", "learners");

    public void Dispose()
    {
        _repository.Dispose();
        _disk.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Hostile_ids_are_refused_by_the_tools_and_never_touch_the_file_system()
    {
        // A learner document one level above the learners directory: "../x" would find it if an
        // unchecked id ever reached Path.Combine.
        var outside = Learner.CreateFree(LearnerId.Parse("x"), "Outside", _clock.GetUtcNow());
        await File.WriteAllBytesAsync(Path.Combine(DataDirectory, "x.json"), JsonSerializer.SerializeToUtf8Bytes(outside, LearnerJsonContext.Default.Learner));
        await File.WriteAllTextAsync(_temp.Combine("passwd.json"), "{}");
        var tools = CreateTools();
        var before = _temp.Snapshot();

        foreach (var hostile in LearnerIdTests.HostileStrings)
        {
            Assert.False(LearnerId.TryParse(hostile, out _));
            var tier = await tools.GetLearnerTierAsync(hostile!, None);
            var access = await tools.CheckChapterAccessAsync(hostile!, 1, None);

            Assert.True(tier.IsError, $"get_learner_tier accepted {hostile}");
            Assert.True(access.IsError, $"check_chapter_access accepted {hostile}");
            Assert.Contains("not a valid learner_id", Text(tier));
            Assert.Contains("not a valid learner_id", Text(access));
        }

        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public async Task The_document_on_disk_is_readable_json_with_snake_case_names()
    {
        var learner = LearnerRepositoryContract.SampleLearner(_clock.GetUtcNow());
        await _repository.TryCreateAsync(learner, None);

        var path = Path.Combine(LearnersDirectory, learner.LearnerId.Value + ".json");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;

        Assert.Equal(learner.LearnerId.Value, root.GetProperty("learner_id").GetString());
        Assert.Equal("paid", root.GetProperty("tier").GetString());
        Assert.Equal(learner.CreatedAt, root.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(learner.UpdatedAt, root.GetProperty("updated_at").GetDateTimeOffset());
        Assert.Equal(learner.TierChangedAt, root.GetProperty("tier_changed_at").GetDateTimeOffset());
        Assert.Equal(Learner.CurrentSchemaVersion, root.GetProperty("schema_version").GetInt32());
        Assert.Equal(2, root.GetProperty("applied_event_ids").GetArrayLength());
        var checkout = root.GetProperty("checkouts")[0];
        Assert.Equal("cs_test_1", checkout.GetProperty("session_id").GetString());
        Assert.Equal("pi_1", checkout.GetProperty("payment_intent_id").GetString());
        Assert.Equal("paid", checkout.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, checkout.GetProperty("facts").GetProperty("paid_at").ValueKind);
    }

    [Fact]
    public async Task A_learner_without_payments_is_stored_as_free_with_open_statuses_in_lowercase()
    {
        var learner = Learner.CreateFree(LearnerId.Parse("free_one"), "Free", _clock.GetUtcNow()) with
        {
            Checkouts = [new CheckoutRecord { SessionId = "cs_test_open", CreatedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow() }],
        };
        await _repository.TryCreateAsync(learner, None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(LearnersDirectory, "free_one.json")));

        Assert.Equal("free", json.RootElement.GetProperty("tier").GetString());
        Assert.Equal("open", json.RootElement.GetProperty("checkouts")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Creating_an_existing_learner_again_writes_no_temporary_file()
    {
        var id = await CreateAsync("again");
        _flush.Reset();

        Assert.False(await _repository.TryCreateAsync(Learner.CreateFree(id, "Again", _clock.GetUtcNow()), None));

        Assert.Empty(_flush.TemporaryFilesSeen);
        Assert.Equal(["again.json"], Directory.GetFiles(LearnersDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_crash_between_writing_and_renaming_leaves_the_old_document_readable()
    {
        var id = await CreateAsync("crashy");
        var before = await File.ReadAllBytesAsync(DocumentPath(id));
        CrashBeforeCommit();

        await Assert.ThrowsAsync<SimulatedCrashException>(() =>
            _repository.UpdateAsync(id, l => l with { Name = "Lost in the crash" }, None));

        var found = await _repository.FindAsync(id, None);
        Assert.Equal("Learner crashy", found!.Name);
        Assert.Equal(before, await File.ReadAllBytesAsync(DocumentPath(id)));
    }

    [Fact]
    public async Task After_a_crash_the_next_update_succeeds()
    {
        var id = await CreateAsync("recovers");
        CrashBeforeCommit();
        await Assert.ThrowsAsync<SimulatedCrashException>(() =>
            _repository.UpdateAsync(id, l => l with { Name = "Lost in the crash" }, None));
        _flush.CrashNext = false;

        var updated = await _repository.UpdateAsync(id, l => l with { Name = "After the crash" }, None);

        Assert.Equal("After the crash", updated!.Name);
        Assert.Equal("After the crash", (await _repository.FindAsync(id, None))!.Name);
        Assert.Equal([id], await ToListAsync(_repository.ListIdsAsync(None)));
    }

    [Fact]
    public async Task A_crash_while_creating_leaves_no_learner_and_a_retry_creates_it()
    {
        var learner = Learner.CreateFree(LearnerId.Parse("half_born"), "Half", _clock.GetUtcNow());
        CrashBeforeCommit();

        await Assert.ThrowsAsync<SimulatedCrashException>(() => _repository.TryCreateAsync(learner, None));
        _flush.CrashNext = false;

        Assert.Null(await _repository.FindAsync(learner.LearnerId, None));
        Assert.Empty(await ToListAsync(_repository.ListIdsAsync(None)));
        Assert.True(await _repository.TryCreateAsync(learner, None));
        Assert.NotNull(await _repository.FindAsync(learner.LearnerId, None));
    }

    [Fact]
    public async Task Leftover_temporary_files_do_not_disturb_reads_listing_or_updates()
    {
        var id = await CreateAsync("tidy");
        // What a crash after the temporary write leaves behind: a torn temporary file next to the
        // document, and one for a learner whose creation never committed.
        await File.WriteAllTextAsync(DocumentPath(id) + ".tmp-0123456789abcdef0123456789abcdef", "{ \"learner_id\": \"ti");
        await File.WriteAllTextAsync(Path.Combine(LearnersDirectory, "ghost.json.tmp-fedcba9876543210fedcba9876543210"), "{");

        var found = await _repository.FindAsync(id, None);
        var ids = await ToListAsync(_repository.ListIdsAsync(None));
        var updated = await _repository.UpdateAsync(id, l => l with { Name = "Still fine" }, None);

        Assert.Equal("Learner tidy", found!.Name);
        Assert.Equal([id], ids);
        Assert.Equal("Still fine", updated!.Name);
        Assert.Null(await _repository.FindAsync(LearnerId.Parse("ghost"), None));
    }

    [Fact]
    public async Task ListIds_returns_every_learner_and_nothing_else()
    {
        var ids = new List<LearnerId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync($"l{i}"));
        }
        await File.WriteAllTextAsync(Path.Combine(LearnersDirectory, "notes.txt"), "not a learner");
        await File.WriteAllTextAsync(Path.Combine(LearnersDirectory, "not valid.json"), "{}");

        var listed = await ToListAsync(_repository.ListIdsAsync(None));

        Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal), listed.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../learners/x")]
    [InlineData("ABCDEF")]
    [InlineData("+15551234567")]
    public async Task A_phone_key_that_is_not_a_lowercase_digest_is_rejected_before_touching_disk(string key)
    {
        var before = _temp.Snapshot();

        await Assert.ThrowsAsync<ArgumentException>(() => _repository.ClaimPhoneAsync(key, LearnerId.Parse("x"), None));

        Assert.Equal(before, _temp.Snapshot());
    }

    private async Task<LearnerId> CreateAsync(string id)
    {
        var learner = Learner.CreateFree(LearnerId.Parse(id), "Learner " + id, _clock.GetUtcNow());
        Assert.True(await _repository.TryCreateAsync(learner, None));
        return learner.LearnerId;
    }

    private string DocumentPath(LearnerId id) => Path.Combine(LearnersDirectory, id.Value + ".json");

    private void CrashBeforeCommit() => _flush.CrashNext = true;

    /// <summary>Records how many flushes ran and which temporary files each one found waiting
    /// (the writes it carried); with <see cref="CrashNext"/> set, fails instead of flushing.</summary>
    private sealed class RecordingFlush : IDiskFlush
    {
        private int _count;

        public volatile bool CrashNext;

        public int Count => _count;

        public ConcurrentQueue<string> TemporaryFilesSeen { get; } = new();

        public void Reset()
        {
            _count = 0;
            TemporaryFilesSeen.Clear();
        }

        public void Flush(IReadOnlyList<string> paths)
        {
            foreach (var temp in paths.Where(TemporaryFile.IsTemporary))
            {
                Assert.True(File.Exists(temp), "the temporary file should be written before the flush");
                TemporaryFilesSeen.Enqueue(temp);
            }
            Interlocked.Increment(ref _count);
            if (CrashNext)
            {
                throw new SimulatedCrashException();
            }
        }
    }

    private LearnerTools CreateTools()
    {
        var server = Options.Create(new ServerOptions());
        return new LearnerTools(
            LearnerRegistrationTests.Registration(_repository, _clock), _repository, new BillingStatusReporter(server, _clock), server, _clock);
    }

    private static string Text(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }

    private sealed class SimulatedCrashException() : Exception("Simulated crash between the temporary write and the rename.");
}
