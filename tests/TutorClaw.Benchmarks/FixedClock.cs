namespace TutorClaw.Benchmarks;

/// <summary>A clock that stays at one instant, so a signature made in setup stays fresh however long the run.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
