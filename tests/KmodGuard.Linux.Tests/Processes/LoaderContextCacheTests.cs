using KmodGuard.Core.Events;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

public sealed class LoaderContextCacheTests
{
    private static readonly LoaderProcess Flooder = new() { Pid = 10, ParentPid = 1, ExecutablePath = "/usr/bin/flood", Name = "flood", UserId = 0 };
    private static readonly LoaderContextCache.Entry Context = new(Flooder with { UserName = "root" }, null, null);

    [Fact]
    public void The_same_process_is_read_once_per_second()
    {
        var clock = new SteppedClock();
        var cache = new LoaderContextCache(clock);
        Assert.False(cache.TryGet(Flooder, out _));
        cache.Add(Flooder, Context);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(cache.TryGet(Flooder with { }, out LoaderContextCache.Entry hit));
        Assert.Same(Context, hit);

        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(cache.TryGet(Flooder, out _));
    }

    [Fact]
    public void A_reused_pid_or_a_re_exec_is_another_process()
    {
        var cache = new LoaderContextCache(new SteppedClock());
        cache.Add(Flooder, Context);
        Assert.False(cache.TryGet(Flooder with { ExecutablePath = "/tmp/x" }, out _));
        Assert.False(cache.TryGet(Flooder with { ParentPid = 2 }, out _));
        Assert.False(cache.TryGet(Flooder with { AuditUserId = 1000 }, out _));
    }

    [Fact]
    public void A_process_without_a_pid_is_never_cached()
    {
        var cache = new LoaderContextCache(new SteppedClock());
        LoaderProcess unknown = Flooder with { Pid = null };
        cache.Add(unknown, Context);
        Assert.False(cache.TryGet(unknown, out _));
    }

    [Fact]
    public void A_full_cache_starts_over_instead_of_growing()
    {
        var cache = new LoaderContextCache(new SteppedClock(), capacity: 2);
        cache.Add(Flooder with { Pid = 1 }, Context);
        cache.Add(Flooder with { Pid = 2 }, Context);
        cache.Add(Flooder with { Pid = 3 }, Context);
        Assert.False(cache.TryGet(Flooder with { Pid = 1 }, out _));
        Assert.True(cache.TryGet(Flooder with { Pid = 3 }, out _));
    }

    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
