using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Tests.Audit.Events;

/// <summary>The real 6.18 captures (netlink and auditd's ENRICHED log) and the sample log, end to end.</summary>
public sealed class AuditPipelineTests
{
    private const string Python = "/opt/capture/python-3.11.7.x/bin/python3.11";

    [Theory]
    [InlineData("unicast")]
    [InlineData("multicast")]
    public void The_netlink_capture_gives_one_activity_per_module_syscall(string socket)
    {
        RecordingSink sink = CaptureReplay.FromNetlink("netlink-capture-unicast-vs-multicast.json", socket);

        Assert.Empty(sink.Malformed);
        Assert.Empty(sink.Gaps);
        Assert.Equal(
        [
            ("audit:1795855351.849:18", ModuleOperation.Load, "finit_module", "insmod", 12636),
            ("audit:1795855351.849:19", ModuleOperation.Load, "init_module", "insmod", 12636),
            ("audit:1795855351.853:20", ModuleOperation.Load, "init_module", "evil loader", 12637),
            ("audit:1795855351.853:21", ModuleOperation.Load, "finit_module", "evil loader", 12637),
            ("audit:1795855351.853:22", ModuleOperation.Unload, "delete_module", "evil loader", 12637),
        ], sink.Activities.Select(a => (a.Id!, a.Operation, Source(a).SyscallName!, a.Process.Name!, a.Process.Pid!.Value)));
    }

    [Fact]
    public void A_kmod_insmod_load_carries_the_file_argv_and_cwd_of_its_exec_and_the_syscall_facts()
    {
        ModuleActivity finit = CaptureReplay.FromNetlink("netlink-capture-unicast-vs-multicast.json", "unicast").Activities[0];

        Assert.Equal(Platform.Linux, finit.Platform);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795855351849), finit.EventTime);
        Assert.Equal("/tmp/kgt/fake.ko", finit.Module.FilePath);
        Assert.Null(finit.Module.Name); // ENOSYS: the kernel logs no KERN_MODULE
        Assert.Null(finit.Module.FileUnresolvedReason);
        Assert.Equal(["insmod", "/tmp/kgt/fake.ko", "foo=bar"], finit.Process.Arguments);
        Assert.Equal("insmod /tmp/kgt/fake.ko foo=bar", finit.Process.CommandLine);
        Assert.Equal("/tmp/kgt", finit.Process.WorkingDirectory);
        Assert.Equal("/usr/bin/kmod", finit.Process.ExecutablePath);
        Assert.Equal(12592, finit.Process.ParentPid);
        Assert.Equal(0, finit.Process.UserId);
        Assert.Equal(0, finit.Process.EffectiveUserId);
        Assert.Null(finit.Process.AuditUserId);
        Assert.Null(finit.Process.SessionId);
        Assert.Null(finit.Process.Tty);

        LinuxAuditSource s = Source(finit);
        Assert.Equal(313, s.SyscallNumber);
        Assert.Equal("x86_64", s.Arch);
        Assert.False(s.Success);
        Assert.Equal(-38, s.Exit);
        Assert.Equal("ENOSYS", s.Errno);
        Assert.Equal(18ul, s.Serial);
        Assert.Equal([3ul, 0x5579c02432a0ul, 0ul, 3ul], s.Arguments);
        Assert.Equal("module-load", s.Key);
    }

    [Fact]
    public void A_process_with_a_space_in_its_name_is_decoded_and_loads_without_an_exec_name_no_file()
    {
        RecordingSink sink = CaptureReplay.FromNetlink("netlink-capture-unicast-vs-multicast.json", "unicast");
        ModuleActivity init = sink.Activities[2];
        ModuleActivity unload = sink.Activities[4];

        Assert.Equal("evil loader", init.Process.Name);
        Assert.Equal(Python, init.Process.ExecutablePath);
        Assert.Equal(["/opt/capture/python-3.11.7.x/bin/python3", "exp_capture.py", "arg1", "arg two"], init.Process.Arguments);
        Assert.Null(init.Module.FilePath);
        Assert.Contains("init_module from a memory buffer", init.Module.FileUnresolvedReason, StringComparison.Ordinal);
        Assert.Contains("file descriptor 8", sink.Activities[3].Module.FileUnresolvedReason, StringComparison.Ordinal);
        Assert.Equal([0x7fd51eeb9400ul, 0x800ul, 0x7fd51f7bf10bul, 0x55b0a15309c0ul], Source(unload).Arguments);
        Assert.Equal("module-unload", Source(unload).Key);
        Assert.Null(unload.Module.FileUnresolvedReason);
    }

    [Fact]
    public void Config_changes_are_surfaced_with_the_process_that_made_them()
    {
        RecordingSink sink = CaptureReplay.FromNetlink("netlink-capture-unicast-vs-multicast.json", "unicast");

        Assert.Equal(2, sink.ConfigChanges.Count);
        AuditConfigChange refused = sink.ConfigChanges[1];
        Assert.Equal("set", refused.Operation);
        Assert.False(refused.Success);
        Assert.Equal("12635", refused.Fields["audit_pid"]);
        Assert.Equal("12592", refused.Fields["old"]);
        Assert.Equal(12635, refused.Pid);
        Assert.Equal("python3", refused.Comm);
        Assert.Equal(Python, refused.Executable);
        Assert.Null(refused.AuditUserId);
        Assert.False(refused.DisablesAuditing);
    }

    [Fact]
    public void The_multicast_capture_beside_auditd_and_auditds_enriched_log_give_the_same_activities()
    {
        RecordingSink netlink = CaptureReplay.FromNetlink("netlink-multicast-with-auditd-running.json");
        RecordingSink log = CaptureReplay.FromLog("captures-6.18", "auditd-3.0.9-enriched.log");

        var expected = new[]
        {
            ("audit:1795855372.449:29", "finit_module", "/tmp/kgt/fake.ko"),
            ("audit:1795855372.449:30", "init_module", "/tmp/kgt/fake.ko"),
            ("audit:1795855372.453:31", "finit_module", (string?)null),
            ("audit:1795855372.453:32", "delete_module", null),
        };
        Assert.Equal(expected, netlink.Activities.Select(a => (a.Id!, Source(a).SyscallName!, a.Module.FilePath)));
        Assert.Equal(expected, log.Activities.Select(a => (a.Id!, Source(a).SyscallName!, a.Module.FilePath)));
        Assert.Empty(log.Malformed);
        Assert.Empty(log.Gaps);
        Assert.Equal("root", log.Activities[0].Process.UserName);
        Assert.Equal("root", log.Activities[0].Process.EffectiveUserName);
        Assert.Null(log.Activities[0].Process.AuditUserName);
        Assert.Null(netlink.Activities[0].Process.UserName);
    }

    [Fact]
    public void The_sample_log_gives_loads_unloads_a_persistence_change_and_a_rule_removal()
    {
        RecordingSink sink = CaptureReplay.FromLog("sample", "audit.log");

        Assert.Equal(
        [
            (ModuleOperation.Load, "dummy", "/lib/modules/6.1.0-56-amd64/kernel/drivers/net/dummy.ko", "insmod"),
            (ModuleOperation.Unload, "dummy", null, "rmmod"),
            (ModuleOperation.Load, "dummy", null, "modprobe"),
            (ModuleOperation.Load, null, "/tmp/kgt/fake.ko", "insmod"),
            (ModuleOperation.Load, null, null, "busybox evil"),
            (ModuleOperation.Unload, "evil mod", null, "busybox evil"),
            (ModuleOperation.PersistenceChange, null, "/etc/modules-load.d/evil.conf", "bash"),
        ], sink.Activities.Select(a => (a.Operation, a.Module.Name, a.EffectiveFilePath, a.Process.Name)));

        ModuleActivity modprobe = sink.Activities[2];
        Assert.Equal(["file: modprobe module name 'dummy' (modprobe resolves it from modules.dep)"], modprobe.Unresolved);
        Assert.Equal(["/sbin/modprobe", "dummy", "numdummies=1"], modprobe.Process.Arguments);

        ModuleActivity busybox = sink.Activities[4];
        Assert.Equal("/bin/busybox evil", busybox.Process.ExecutablePath);
        Assert.Equal(["/bin/busybox evil", "insmod", "/tmp/kgt/fake.ko"], busybox.Process.Arguments);
        Assert.Equal("ENOEXEC", Source(busybox).Errno);

        ModuleActivity persistence = sink.Activities[6];
        Assert.Equal("openat", Source(persistence).SyscallName);
        Assert.Equal("/root", persistence.Process.WorkingDirectory);
        Assert.Equal(0, persistence.Process.AuditUserId);
        Assert.Equal("root", persistence.Process.AuditUserName);
        Assert.Equal(1, persistence.Process.SessionId);
        Assert.Equal("pts0", persistence.Process.Tty);

        AuditConfigChange removal = Assert.Single(sink.ConfigChanges);
        Assert.True(removal.RemovesRuleWithKey("kmodguard"));
        Assert.Equal(4, removal.List);
        Assert.Equal("auditctl", removal.Comm);
        Assert.Equal(206, removal.Pid);
        Assert.Equal(0, removal.AuditUserId);
    }

    [Fact]
    public void A_kern_module_record_without_its_syscall_is_counted_not_guessed()
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        pipeline.PushNetlink(1330, "audit(1.000:5): name=\"dummy\""u8);
        pipeline.PushNetlink(1320, "audit(1.000:5): "u8);

        Assert.Empty(sink.Activities);
        Assert.Equal(1, pipeline.Counters.UnattributedModuleRecords);
    }

    [Fact]
    public void Disabling_auditing_is_recognised()
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        pipeline.PushNetlink(1305, "audit(1.000:9): op=set audit_enabled=0 old=1 auid=1000 ses=3 subj=unconfined res=1"u8);
        pipeline.PushNetlink(1300, "audit(1.000:9): arch=c000003e syscall=44 success=yes exit=60 pid=77 auid=1000 comm=\"auditctl\" exe=\"/usr/sbin/auditctl\" key=(null)"u8);
        pipeline.PushNetlink(1320, "audit(1.000:9): "u8);

        AuditConfigChange change = Assert.Single(sink.ConfigChanges);
        Assert.True(change.DisablesAuditing);
        Assert.Equal(1000, change.AuditUserId);
        Assert.Equal(3, change.SessionId);
        Assert.Equal(77, change.Pid);
        Assert.Equal("auditctl", change.Comm);
    }

    [Fact]
    public void Counters_add_up()
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink);
        foreach ((int type, byte[] payload) in CaptureReplay.NetlinkMessages("netlink-capture-unicast-vs-multicast.json", "unicast"))
        {
            pipeline.PushNetlink(type, payload);
        }

        pipeline.PushNetlink(1300, "not a record"u8);
        pipeline.Flush();

        AuditPipelineCounters c = pipeline.Counters;
        Assert.Equal(5, c.Activities);
        Assert.Equal(2, c.ConfigChanges);
        Assert.Equal(1, c.MalformedRecords);
        Assert.Equal(1, c.IgnoredRecords); // the AUDIT_REPLACE probe
        Assert.Equal(AuditParseError.MissingHeader, sink.Malformed.Single().Error);
        Assert.Equal("not a record", sink.Malformed.Single().Excerpt);
        Assert.Equal(9, c.Events);
    }

    private static LinuxAuditSource Source(ModuleActivity a) => Assert.IsType<LinuxAuditSource>(a.Source);
}
