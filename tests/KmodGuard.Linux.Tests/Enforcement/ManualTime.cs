namespace KmodGuard.Linux.Tests.Enforcement;

/// <summary>A clock that moves only when a test (or the code's sleep) advances it.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public List<TimeSpan> Sleeps { get; } = [];

    public override DateTimeOffset GetUtcNow() => _now;

    public void Sleep(TimeSpan delay)
    {
        Sleeps.Add(delay);
        _now += delay;
    }
}
