namespace TutorClaw.Mcp.Tests.Support;

/// <summary>A TimeProvider whose time moves only when a test says so.</summary>
public sealed class FixedClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public static DateTimeOffset Start { get; } = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public FixedClock()
        : this(Start)
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
