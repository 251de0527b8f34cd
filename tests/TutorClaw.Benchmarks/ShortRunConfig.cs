using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TutorClaw.Benchmarks;

/// <summary>
/// Short and in-process: a few iterations (ShortRun: 3 warm-ups, 3 measured, 1 launch) so a full run
/// takes minutes, not hours, and no per-benchmark project is generated and rebuilt. Reports the
/// median and p95 beside the mean, and allocations per operation.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        // At least 250 ms per iteration: one durable update takes about a millisecond.
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithMinIterationTime(TimeInterval.FromMilliseconds(250)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
