using BenchmarkDotNet.Attributes;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Benchmarks;

/// <summary>
/// One durable learner update (lock, read, change, temp file + fsync, rename, directory fsync)
/// and one read, with 1,000 and with 100,000 learners on disk: SPEC §3 says the cost of an update
/// does not grow with the number of learners. The data sets live under
/// $TMPDIR/tutorclaw-bench/learners-N and are reused between runs (creating 100,000 takes a while).
/// </summary>
[Config(typeof(ShortRunConfig))]
public class RepositoryBenchmarks
{
    private FileLearnerRepository _repository = null!;
    private LearnerId[] _ids = [];
    private int _next;

    [Params(1_000, 100_000)]
    public int Learners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tutorclaw-bench", $"learners-{Learners}");
        _ids = Enumerable.Range(0, Learners).Select(i => LearnerId.Parse($"bench_{i:D6}")).ToArray();
        LearnerData.Ensure(directory, _ids);
        // Read every document once so both sizes start with a warm page cache (as in a server that
        // has been running); otherwise 100,000 scattered reads measure the disk, not the repository.
        LearnerData.Warm(directory);
        _repository = new FileLearnerRepository(directory, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _repository.Dispose();

    /// <summary>Learners are taken in a scattered order so the page cache cannot favour the small set.</summary>
    private LearnerId NextId() => _ids[(int)((uint)(_next++ * 7919) % (uint)_ids.Length)];

    [Benchmark]
    public async Task<Learner?> UpdateDurably()
    {
        var id = NextId();
        var stamp = _next;
        return await _repository.UpdateAsync(id, learner => learner with { Name = $"Bench learner {stamp}" }, CancellationToken.None);
    }

    [Benchmark]
    public Task<Learner?> Find() => _repository.FindAsync(NextId(), CancellationToken.None);
}
