using System.Globalization;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

public sealed class LoaderContextReaderTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _root = Directory.CreateTempSubdirectory("kmodguard-proc-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_live_loader_gets_its_parent_chain_command_lines_and_user_names_from_proc()
    {
        // sh stays the parent of sleep (it waits), and this test process is sh's parent.
        using ChildProcess child = ChildProcess.Start("sleep 30 & echo $!; wait");
        int sleepPid = child.ReadPidOfSleep();
        var reader = new LoaderContextReader(ProcFileSystem.Host, new ExecEventCache(), new UserNames());

        LoaderProcess p = reader.Read(new LoaderProcess { Pid = sleepPid, Name = "sleep" }, out string? unresolved);

        Assert.Null(unresolved);
        Assert.Equal(child.ShellPid, p.ParentPid);
        Assert.EndsWith("/sleep", p.ExecutablePath, StringComparison.Ordinal);
        Assert.Equal(["sleep", "30"], p.Arguments);
        Assert.Equal("sleep 30", p.CommandLine);
        Assert.Equal(Path.GetTempPath().TrimEnd('/'), p.WorkingDirectory);
        Assert.Equal((0, 0, "root", "root"), (p.UserId, p.EffectiveUserId, p.UserName, p.EffectiveUserName));
        Assert.NotNull(p.Ancestors);
        Assert.Equal(child.ShellPid, p.Ancestors[0].Pid);
        Assert.StartsWith("/bin/sh -c sleep 30 &", p.Ancestors[0].CommandLine, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, p.Ancestors[1].Pid);
        Assert.Equal(Environment.ProcessPath, p.Ancestors[1].ExecutablePath);
        Assert.Equal(p.Ancestors[0].ExecutablePath, p.ParentExecutablePath);
    }

    [Fact]
    public void What_the_audit_records_say_is_kept_over_proc()
    {
        using ChildProcess child = ChildProcess.Start("sleep 30 & echo $!; wait");
        int sleepPid = child.ReadPidOfSleep();
        var reader = new LoaderContextReader(ProcFileSystem.Host, new ExecEventCache(), new UserNames());
        var known = new LoaderProcess { Pid = sleepPid, Name = "sleep", ExecutablePath = "/usr/bin/kmod", Arguments = ["insmod", "x.ko"], UserId = 1000, AuditUserId = 0 };

        LoaderProcess p = reader.Read(known, out _);

        Assert.Equal("/usr/bin/kmod", p.ExecutablePath);
        Assert.Equal("insmod x.ko", p.CommandLine);
        Assert.Equal(1000, p.UserId);
        Assert.Equal("root", p.AuditUserName);
    }

    [Fact]
    public void A_loader_that_has_exited_is_described_from_the_exec_cache_and_so_are_its_gone_ancestors()
    {
        var execs = new ExecEventCache();
        execs.Record(new ExecEvent(999_001, Now) { ParentPid = 999_000, ExecutablePath = "/usr/bin/kmod", Arguments = ["insmod", "/tmp/x.ko"], WorkingDirectory = "/tmp", UserId = 0 });
        execs.Record(new ExecEvent(999_000, Now) { ParentPid = 1, ExecutablePath = "/usr/bin/bash", Arguments = ["bash", "-c", "insmod /tmp/x.ko"] });
        var reader = new LoaderContextReader(new ProcFileSystem(_root), execs, new UserNames());

        LoaderProcess p = reader.Read(new LoaderProcess { Pid = 999_001, Name = "insmod" }, out string? unresolved);

        Assert.Null(unresolved);
        Assert.Equal("/usr/bin/kmod", p.ExecutablePath);
        Assert.Equal("insmod /tmp/x.ko", p.CommandLine);
        Assert.Equal("/tmp", p.WorkingDirectory);
        Assert.Equal("root", p.UserName);
        Assert.Equal([new AncestorProcess(999_000, "/usr/bin/bash", "bash -c insmod /tmp/x.ko")], p.Ancestors);
    }

    [Fact]
    public void A_loader_gone_without_a_trace_is_said_so()
    {
        var reader = new LoaderContextReader(new ProcFileSystem(_root), new ExecEventCache(), new UserNames());
        LoaderProcess p = reader.Read(new LoaderProcess { Pid = 999_002, Name = "insmod", UserId = 0 }, out string? unresolved);
        Assert.Equal("process: pid 999002 exited before it could be read, and no exec of it was recorded", unresolved);
        Assert.Equal("root", p.UserName);
        Assert.Null(p.Ancestors);
    }

    [Fact]
    public void A_reused_pid_whose_comm_differs_is_not_read_as_the_loader()
    {
        using ChildProcess child = ChildProcess.Start("sleep 30 & echo $!; wait");
        int sleepPid = child.ReadPidOfSleep();
        var reader = new LoaderContextReader(ProcFileSystem.Host, new ExecEventCache(), new UserNames());

        LoaderProcess p = reader.Read(new LoaderProcess { Pid = sleepPid, Name = "insmod" }, out string? unresolved);

        Assert.Null(p.ExecutablePath);
        Assert.Null(p.ParentPid);
        Assert.NotNull(unresolved);
    }

    [Fact]
    public void A_parent_that_started_after_its_child_is_a_reused_pid_and_ends_the_chain()
    {
        FakeProcess(300, "insmod", ppid: 200, start: 5000, "insmod\0x.ko\0");
        FakeProcess(200, "bash", ppid: 1, start: 9000, "bash\0");
        var reader = new LoaderContextReader(new ProcFileSystem(_root), new ExecEventCache(), new UserNames());
        Assert.Null(reader.Read(new LoaderProcess { Pid = 300 }, out _).Ancestors);
    }

    [Fact]
    public void Kernel_threads_are_named_like_ps_names_them_and_the_chain_ends_at_pid_0()
    {
        FakeProcess(300, "modprobe", ppid: 50, start: 5000, "/sbin/modprobe\0-q\0--\0net-pf-10\0");
        FakeProcess(50, "kworker/u4:1", ppid: 2, start: 10, "");
        FakeProcess(2, "kthreadd", ppid: 0, start: 1, "");
        var reader = new LoaderContextReader(new ProcFileSystem(_root), new ExecEventCache(), new UserNames());

        LoaderProcess p = reader.Read(new LoaderProcess { Pid = 300 }, out _);

        Assert.Equal("/sbin/modprobe -q -- net-pf-10", p.CommandLine);
        Assert.Equal([new AncestorProcess(50, null, "[kworker/u4:1]"), new AncestorProcess(2, null, "[kthreadd]")], p.Ancestors);
    }

    [Fact]
    public void A_parent_loop_in_a_hostile_proc_tree_terminates()
    {
        FakeProcess(300, "a", ppid: 301, start: 100, "a\0");
        FakeProcess(301, "b", ppid: 300, start: 100, "b\0");
        var reader = new LoaderContextReader(new ProcFileSystem(_root), new ExecEventCache(), new UserNames());
        Assert.Equal(2, reader.Read(new LoaderProcess { Pid = 300 }, out _).Ancestors!.Count);
    }

    [Fact]
    public void The_exec_cache_forgets_by_age_and_by_count()
    {
        var clock = new ManualClock(Now);
        var cache = new ExecEventCache(capacity: 2, maxAge: TimeSpan.FromMinutes(1), time: clock);
        cache.Record(new ExecEvent(1, Now));
        cache.Record(new ExecEvent(2, Now));
        cache.Record(new ExecEvent(2, Now) { ExecutablePath = "/usr/bin/kmod" }); // pid 2 exec'd again: replaces the first
        Assert.False(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(2, out _));
        cache.Record(new ExecEvent(3, Now));
        Assert.True(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(3, out _));
        clock.Now = Now.AddMinutes(2);
        Assert.False(cache.TryGet(3, out _));
    }

    private void FakeProcess(int pid, string comm, int ppid, ulong start, string cmdline)
    {
        string dir = Path.Combine(_root, pid.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} ({comm}) S {ppid} 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 {start} 1000 100");
        File.WriteAllText(Path.Combine(dir, "cmdline"), cmdline);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
