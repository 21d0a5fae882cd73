using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

public sealed class ExecEventCacheTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    private static ExecEvent Exec(int pid, TimeSpan after, string exe = "/usr/bin/kmod", params string[] args) =>
        new(pid, T0 + after) { ExecutablePath = exe, Arguments = args, ParentPid = 1 };

    [Fact]
    public void The_same_process_seen_again_within_a_minute_keeps_its_first_entry()
    {
        var cache = new ExecEventCache(capacity: 2);
        ExecEvent first = Exec(10, TimeSpan.Zero, args: ["rmmod", "crc7"]);
        cache.Record(first);
        for (int i = 1; i <= 1000; i++)
        {
            cache.Record(Exec(10, TimeSpan.FromMilliseconds(i), args: ["rmmod", "crc7"]));
        }

        cache.Record(Exec(11, TimeSpan.Zero)); // a flood of one process must not push others out
        Assert.True(cache.TryGet(10, out ExecEvent? kept));
        Assert.Same(first, kept);
        Assert.True(cache.TryGet(11, out _));
    }

    [Fact]
    public void A_different_program_or_command_line_under_the_same_pid_replaces_the_entry()
    {
        var cache = new ExecEventCache();
        cache.Record(Exec(10, TimeSpan.Zero, args: ["modprobe", "a"]));
        cache.Record(Exec(10, TimeSpan.FromSeconds(1), args: ["modprobe", "b"]));
        Assert.True(cache.TryGet(10, out ExecEvent? e));
        Assert.Equal(["modprobe", "b"], e.Arguments);

        cache.Record(Exec(10, TimeSpan.FromSeconds(2), "/tmp/loader", "modprobe", "b"));
        Assert.True(cache.TryGet(10, out e));
        Assert.Equal("/tmp/loader", e.ExecutablePath);
    }

    [Fact]
    public void The_same_process_is_refreshed_after_a_minute()
    {
        var cache = new ExecEventCache();
        cache.Record(Exec(10, TimeSpan.Zero));
        ExecEvent later = Exec(10, TimeSpan.FromMinutes(2));
        cache.Record(later);
        Assert.True(cache.TryGet(10, out ExecEvent? e));
        Assert.Same(later, e);
    }
}
