using System.Text.Json;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>
/// What a crash in the middle of a group commit can leave on disk, built directly: some renames
/// of the batch done, the others' temporary files cut at any byte (their bytes were not yet
/// flushed), next to documents of earlier batches. A store opened on it reads every document,
/// each old or new and whole, lists no temporary file, and updates on.
/// </summary>
public sealed class CrashedBatchRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_batch_cut_at_random_byte_offsets_recovers_to_old_or_new_documents()
    {
        var random = new Random(14);
        var now = DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var round = 0; round < 50; round++)
        {
            var data = _temp.Combine($"round-{round}");
            var learners = Path.Combine(data, "learners");
            Directory.CreateDirectory(learners);
            var ids = Enumerable.Range(0, 12).Select(i => LearnerId.Parse($"l{i}")).ToList();
            var expected = new Dictionary<LearnerId, string[]>();
            foreach (var id in ids)
            {
                var old = Learner.CreateFree(id, "Old " + id, now);
                var updated = old with { Name = "New " + id };
                var oldBytes = JsonSerializer.SerializeToUtf8Bytes(old, LearnerJsonContext.Default.Learner);
                var newBytes = JsonSerializer.SerializeToUtf8Bytes(updated, LearnerJsonContext.Default.Learner);
                var path = Path.Combine(learners, id.Value + ".json");
                await File.WriteAllBytesAsync(path, oldBytes);
                if (random.Next(2) == 0)
                {
                    // Renamed before the crash.
                    await File.WriteAllBytesAsync(path, newBytes);
                    expected[id] = ["New " + id];
                }
                else
                {
                    // Not renamed: its temporary file holds any prefix of the new bytes.
                    var cut = random.Next(newBytes.Length + 1);
                    await File.WriteAllBytesAsync(path + ".tmp-" + Guid.NewGuid().ToString("N"), newBytes[..cut]);
                    expected[id] = ["Old " + id];
                }
            }

            using var repository = new FileLearnerRepository(data, TimeProvider.System);
            foreach (var id in ids)
            {
                var found = await repository.FindAsync(id, default);
                Assert.Contains(found!.Name, expected[id]);
            }
            var listed = new List<LearnerId>();
            await foreach (var id in repository.ListIdsAsync(default))
            {
                listed.Add(id);
            }
            Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal), listed.Select(i => i.Value).Order(StringComparer.Ordinal));
            var again = await repository.UpdateAsync(ids[0], l => l with { Name = "After" }, default);
            Assert.Equal("After", again!.Name);
        }
    }
}
