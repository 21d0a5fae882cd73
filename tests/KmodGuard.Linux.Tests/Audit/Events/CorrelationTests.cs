using System.Text;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Linux.Tests.Audit.Events;

/// <summary>Exec records of module tools naming the file of a later load; persistence watch events.</summary>
public sealed class CorrelationTests
{
    [Theory]
    [InlineData("/tmp/kgt", "/tmp/kgt/x.ko", "insmod", "x.ko")]
    [InlineData("/", "/lib/modules/x.ko", "/sbin/insmod", "-f", "/lib/modules/x.ko", "opt=1")]
    [InlineData("/root", "/root/a/x.ko", "kmod", "insmod", "a/../a/x.ko")]
    [InlineData("/tmp", "/tmp/x.ko", "busybox", "insmod", "x.ko")]
    [InlineData("/", "/opt/x.ko", "modprobe", "-C", "/etc/x.conf", "/opt/x.ko")]
    [InlineData("/", null, "modprobe", "-r", "dummy")]
    [InlineData("/", null, "rmmod", "dummy")]
    [InlineData("/", null, "insmod")]
    [InlineData("/", null, "python3", "load.py")]
    public void A_module_tools_argv_names_the_loaded_file(string cwd, string? file, params string[] argv)
    {
        Assert.Equal(file, ModuleToolCommand.LoadedFile(argv, cwd, out _));
    }

    [Fact]
    public void A_modprobe_module_name_is_left_unresolved_and_a_relative_path_without_cwd_says_so()
    {
        Assert.Null(ModuleToolCommand.LoadedFile(["modprobe", "-q", "--", "dummy"], "/", out string? byName));
        Assert.Equal("file: modprobe module name 'dummy' (modprobe resolves it from modules.dep)", byName);

        Assert.Null(ModuleToolCommand.LoadedFile(["insmod", "x.ko"], null, out string? relative));
        Assert.Equal("file: relative path 'x.ko' and no working directory", relative);

        Assert.Null(ModuleToolCommand.LoadedFile(["insmod", "a\0b.ko"], "/", out _));
    }

    [Fact]
    public void Long_execve_arguments_split_over_records_are_joined_and_decoded()
    {
        string longArg = new('a', 9000);
        string hexPart1 = Convert.ToHexString(Encoding.UTF8.GetBytes("/tmp/dir with space/"));
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        Push(pipeline, 1300, 50, "arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=300 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"kmodguard\"");
        Push(pipeline, 1309, 50, $"argc=3 a0=\"insmod\" a1_len={hexPart1.Length / 2 + 6} a1[0]={hexPart1}");
        Push(pipeline, 1309, 50, $"a1[1]=\"mod.ko\" a2_len=9000 a2[0]=\"{longArg[..7000]}\" a2[1]=\"{longArg[7000..]}\"");
        Push(pipeline, 1307, 50, "cwd=\"/\"");
        Push(pipeline, 1327, 50, "proctitle=696E736D6F64");
        Push(pipeline, 1300, 51, "arch=c000003e syscall=313 success=yes exit=0 a0=3 a1=0 a2=0 a3=0 items=0 ppid=1 pid=300 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"kmodguard\"");
        Push(pipeline, 1330, 51, "name=\"mod\"");
        Push(pipeline, 1327, 51, "proctitle=696E736D6F64");

        ModuleActivity load = Assert.Single(sink.Activities);
        Assert.Equal(["insmod", "/tmp/dir with space/mod.ko", longArg], load.Process.Arguments);
        Assert.Equal("/tmp/dir with space/mod.ko", load.Module.FilePath);
        Assert.Equal("mod", load.Module.Name);
    }

    [Fact]
    public void A_reused_pid_running_another_program_does_not_inherit_the_old_exec()
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        Push(pipeline, 1300, 60, "arch=c000003e syscall=59 success=yes exit=0 pid=400 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"kmodguard\"");
        Push(pipeline, 1309, 60, "argc=2 a0=\"insmod\" a1=\"/tmp/x.ko\"");
        Push(pipeline, 1327, 60, "proctitle=\"insmod\"");
        Push(pipeline, 1300, 61, "arch=c000003e syscall=313 success=no exit=-1 a0=3 pid=400 comm=\"loader\" exe=\"/opt/loader\" key=\"kmodguard\"");
        Push(pipeline, 1327, 61, "proctitle=\"loader\"");

        Assert.Null(Assert.Single(sink.Activities).Module.FilePath);
    }

    [Fact]
    public void The_exec_memory_is_bounded_and_forgets_the_least_recently_recorded_pid()
    {
        var execs = new ExecCorrelator(capacity: 2);
        execs.Record(1, new ExecRecord("/usr/bin/kmod", ["insmod", "a.ko"], "/"));
        execs.Record(2, new ExecRecord("/usr/bin/kmod", ["insmod", "b.ko"], "/"));
        execs.Record(1, new ExecRecord("/usr/bin/kmod", ["insmod", "c.ko"], "/"));
        execs.Record(3, new ExecRecord("/usr/bin/kmod", ["insmod", "d.ko"], "/"));

        Assert.Equal(2, execs.Count);
        Assert.Null(execs.Find(2, null));
        Assert.Equal(["insmod", "c.ko"], execs.Find(1, "/usr/bin/kmod")!.Arguments);
        Assert.Null(execs.Find(1, "/opt/other"));
    }

    [Theory]
    [InlineData("kmodguard", "NORMAL", "/etc/modprobe.d/blacklist.conf", "/etc/modprobe.d/blacklist.conf")]
    [InlineData("kmodguard", "NORMAL", "/etc/modules", "/etc/modules")]
    [InlineData("other-key", "CREATE", "modules-load.d/x.conf", "/etc/modules-load.d/x.conf")]
    [InlineData("other-key", "DELETE", "/usr/lib/modprobe.d/x.conf", "/usr/lib/modprobe.d/x.conf")]
    [InlineData("other-key", "NORMAL", "/etc/modprobe.d/x.conf", null)]
    [InlineData("kmodguard", "NORMAL", "/etc/modules.bak", null)]
    [InlineData("kmodguard", "PARENT", "/etc/modprobe.d/", null)]
    [InlineData("kmodguard", "NORMAL", "/etc/passwd", null)]
    public void Changes_under_the_module_persistence_paths_become_persistence_activities(string key, string nameType, string name, string? changed)
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        Push(pipeline, 1300, 70, $"arch=c000003e syscall=257 success=yes exit=3 items=2 ppid=1 pid=500 uid=0 comm=\"sh\" exe=\"/bin/sh\" key=\"{key}\"");
        Push(pipeline, 1307, 70, "cwd=\"/etc\"");
        Push(pipeline, 1302, 70, "item=0 name=\"/etc/\" nametype=PARENT");
        Push(pipeline, 1302, 70, $"item=1 name={Encode(name)} nametype={nameType}");
        Push(pipeline, 1327, 70, "proctitle=\"sh\"");

        Assert.Equal(changed, sink.Activities.SingleOrDefault()?.ChangedPath);
        Assert.All(sink.Activities, a => Assert.Equal(ModuleOperation.PersistenceChange, a.Operation));
    }

    private static string Encode(string s) => s.Contains(' ', StringComparison.Ordinal) ? Convert.ToHexString(Encoding.UTF8.GetBytes(s)) : $"\"{s}\"";

    private static void Push(AuditPipeline pipeline, int type, uint serial, string body) =>
        Assert.Equal(Linux.Audit.Records.AuditParseError.None, pipeline.PushNetlink(type, Encoding.UTF8.GetBytes($"audit(1700000000.000:{serial}): {body}")));
}
