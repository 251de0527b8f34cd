using System.Diagnostics;
using System.Globalization;

namespace TutorClaw.LoadTest;

/// <summary>Latency samples as Stopwatch ticks; percentiles by nearest rank.</summary>
public sealed class Latencies(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public int Count => _count;

    public void Add(long ticks) => _ticks[Interlocked.Increment(ref _count) - 1] = ticks;

    public double PercentileMs(double percentile)
    {
        if (_count == 0)
        {
            return double.NaN;
        }
        var sorted = _ticks.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return ToMs(sorted[Math.Clamp(rank, 0, sorted.Length - 1)]);
    }

    public double MaxMs => _count == 0 ? double.NaN : ToMs(_ticks.AsSpan(0, _count).ToArray().Max());

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {PercentileMs(50):F3} ms, p90 {PercentileMs(90):F3} ms, p99 {PercentileMs(99):F3} ms, max {MaxMs:F3} ms (n={_count})");

    public static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
