using System.Diagnostics;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Linux.Enforcement;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Tests.Shared;
using NSubstitute;

namespace KmodGuard.Linux.Tests.Enforcement;

public sealed class ModuleEnforcerTests : IDisposable
{
    private const string Policy = """
        version: 1
        mode: enforce
        default: allow
        rules:
          - id: deny-tmp
            action: deny
            when:
              file.path: ["/tmp/**"]
          - id: deny-and-kill
            action: deny
            kill_loader: true
            when:
              module.name: [evil]
          - id: deny-persistence
            action: deny
            kill_loader: true
            when:
              operation: persistence_change
        """;

    private readonly FakeKernelRoot _root = new();
    private readonly IModuleSyscalls _kernel = Substitute.For<IModuleSyscalls>();
    private readonly ManualTime _time = new();

    public ModuleEnforcerTests() => _kernel.ExecutableOf(Arg.Any<int>()).Returns("/usr/bin/kmod");

    public void Dispose() => _root.Dispose();

    private static PolicyHolder Holder(string yaml) => new(PolicyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "test.yaml"));

    private ModuleEnforcer Enforcer(string yaml = Policy, IModuleSyscalls? kernel = null) =>
        new(Holder(yaml), kernel ?? _kernel, new SysModuleReader(_root.Paths), UnloadRetry.Default, _time.Sleep, _time);

    private static ModuleActivity Load(string name, string path = "/tmp/x.ko", bool? success = true, int? pid = 4242, string? exe = "/usr/bin/kmod") => new()
    {
        Id = "audit:1:1",
        Platform = Platform.Linux,
        Operation = ModuleOperation.Load,
        ReceiveTime = DateTimeOffset.UnixEpoch,
        Source = new LinuxAuditSource { SyscallName = "finit_module", Success = success },
        Module = new ModuleFacts { Name = name, FilePath = path },
        Process = new LoaderProcess { Pid = pid, ExecutablePath = exe, Name = "insmod" },
    };

    private static Decision Decide(string yaml, ModuleActivity a) => Holder(yaml).Current.Decide(a);

    [Fact]
    public void A_denied_load_that_succeeded_is_unloaded_with_delete_module_nonblocking()
    {
        ModuleActivity a = Load("dummy");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));

        Assert.Equal(EnforcementAction.Unloaded, d.Action);
        Assert.Null(d.ActionError);
        Assert.Equal("deny-tmp", d.RuleId);
        _kernel.Received(1).DeleteModule("dummy", 0x800);
        _kernel.DidNotReceiveWithAnyArgs().Kill(0, 0);
    }

    [Fact]
    public void Monitor_mode_and_allow_verdicts_act_on_nothing()
    {
        string monitor = Policy.Replace("mode: enforce", "mode: monitor", StringComparison.Ordinal);
        ModuleActivity denied = Load("evil");
        Decision would = Enforcer(monitor).Enforce(denied, Decide(monitor, denied));
        Assert.Equal(EnforcementAction.WouldDeny, would.Action);

        ModuleActivity allowed = Load("dummy", path: "/lib/modules/6.1/kernel/drivers/net/dummy.ko");
        Decision allow = Enforcer().Enforce(allowed, Decide(Policy, allowed));
        Assert.Equal(Verdict.Allow, allow.Verdict);
        Assert.Equal(EnforcementAction.None, allow.Action);

        Assert.Empty(_kernel.ReceivedCalls());
    }

    [Fact]
    public void A_load_the_kernel_refused_has_nothing_to_unload()
    {
        ModuleActivity failed = Load("dummy", success: false);
        Assert.Equal(EnforcementAction.None, Enforcer().Enforce(failed, Decide(Policy, failed)).Action);

        var refused = KernelLogActivities.Unmatched(
            new KernelModuleMessage(KernelModuleMessageKind.Blacklisted, "cordic", "Module cordic is blacklisted", 389, TimeSpan.FromSeconds(3), DateTimeOffset.UnixEpoch), DateTimeOffset.UnixEpoch, null)
            with { Module = new ModuleFacts { Name = "cordic", FilePath = "/tmp/cordic.ko" } };
        Assert.Equal(EnforcementAction.None, Enforcer().Enforce(refused, Decide(Policy, refused)).Action);
        Assert.Empty(_kernel.ReceivedCalls());
    }

    [Fact]
    public void Retries_while_the_module_is_still_initialising_then_unloads()
    {
        _root.SysModule("slowinit", initstate: "coming");
        _kernel.DeleteModule("slowinit", 0x800).Returns(Errno.EBUSY, Errno.EBUSY, Errno.EAGAIN, 0);
        ModuleActivity a = Load("slowinit");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));

        Assert.Equal(EnforcementAction.Unloaded, d.Action);
        Assert.Equal([5, 10, 20], _time.Sleeps.Select(s => (int)s.TotalMilliseconds));
    }

    [Fact]
    public void Gives_up_with_EBUSY_when_initialisation_outlasts_the_budget()
    {
        _root.SysModule("stuck", initstate: "coming");
        _kernel.DeleteModule("stuck", 0x800).Returns(Errno.EBUSY);
        ModuleActivity a = Load("stuck");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));

        Assert.Equal(EnforcementAction.UnloadFailed, d.Action);
        Assert.Equal("EBUSY", d.ActionError);
        Assert.True(_time.Sleeps.Sum(s => s.TotalMilliseconds) <= UnloadRetry.Default.Budget.TotalMilliseconds);
        Assert.True(_time.Sleeps.Count >= 5);
    }

    [Theory]
    [InlineData(Errno.EBUSY, "EBUSY")] // live but no exit function: the kernel will never unload it
    [InlineData(Errno.EAGAIN, "EAGAIN")] // in use by another module or a reference
    [InlineData(Errno.ENOENT, "ENOENT")] // gone, or hidden itself (list_del) right after init
    [InlineData(Errno.EPERM, "EPERM")] // modules_disabled=1 or no CAP_SYS_MODULE
    public void A_failed_unload_of_a_live_module_is_recorded_with_its_errno_without_retrying(int errno, string name)
    {
        _root.SysModule("stubborn", initstate: "live");
        _kernel.DeleteModule("stubborn", 0x800).Returns(errno);
        ModuleActivity a = Load("stubborn");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));

        Assert.Equal(EnforcementAction.UnloadFailed, d.Action);
        Assert.Equal(name, d.ActionError);
        Assert.Empty(_time.Sleeps);
        Assert.Contains($"unload_failed ({name})", Core.Telemetry.DecisionSentence.For(a, d), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_module_name_there_is_no_call_and_the_record_says_why()
    {
        ModuleActivity a = Load("x") with { Module = new ModuleFacts { FilePath = "/tmp/x.ko" } };
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));
        Assert.Equal(EnforcementAction.UnloadFailed, d.Action);
        Assert.Equal("module name unknown", d.ActionError);
        Assert.Empty(_kernel.ReceivedCalls());
    }

    [Fact]
    public void Kill_loader_kills_the_loader_and_still_unloads_the_module()
    {
        ModuleActivity a = Load("evil", path: "/lib/modules/6.1/extra/evil.ko");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));

        Assert.Equal(EnforcementAction.KilledLoader, d.Action);
        Assert.Null(d.ActionError);
        _kernel.Received(1).Kill(4242, 9);
        _kernel.Received(1).DeleteModule("evil", 0x800);
    }

    [Fact]
    public void A_loader_that_already_exited_is_noted_and_the_unload_is_the_action()
    {
        _kernel.Kill(4242, 9).Returns(Errno.ESRCH);
        ModuleActivity a = Load("evil", path: "/lib/modules/6.1/extra/evil.ko");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));
        Assert.Equal(EnforcementAction.Unloaded, d.Action);
        Assert.Equal("kill: ESRCH", d.ActionError);
    }

    [Fact]
    public void A_reused_pid_or_a_protected_pid_is_never_killed()
    {
        _kernel.ExecutableOf(4242).Returns("/usr/sbin/sshd");
        ModuleActivity a = Load("evil", path: "/lib/modules/6.1/extra/evil.ko");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));
        Assert.Equal(EnforcementAction.Unloaded, d.Action);
        Assert.Equal("kill: pid 4242 now runs /usr/sbin/sshd, not the loader", d.ActionError);

        ModuleActivity init = Load("evil", path: "/x/evil.ko", pid: 1);
        Assert.Equal("kill: refused for pid 1", Enforcer().Enforce(init, Decide(Policy, init)).ActionError);
        _kernel.DidNotReceiveWithAnyArgs().Kill(0, 0);
    }

    [Fact]
    public void An_unload_failure_outranks_a_killed_loader()
    {
        _kernel.DeleteModule("evil", 0x800).Returns(Errno.EBUSY);
        ModuleActivity a = Load("evil", path: "/x/evil.ko");
        Decision d = Enforcer().Enforce(a, Decide(Policy, a));
        Assert.Equal(EnforcementAction.UnloadFailed, d.Action);
        Assert.Equal("EBUSY", d.ActionError);
        _kernel.Received(1).Kill(4242, 9);
    }

    [SkippableFact]
    public void Really_kills_a_live_loader_process()
    {
        Skip.IfNot(File.Exists("/bin/sleep"), "needs /bin/sleep");
        using var loader = Process.Start(new ProcessStartInfo("/bin/sleep", "30"))!;
        string exe = new FileInfo($"/proc/{loader.Id}/exe").LinkTarget!;
        var change = new ModuleActivity
        {
            Platform = Platform.Linux,
            Operation = ModuleOperation.PersistenceChange,
            ReceiveTime = DateTimeOffset.UtcNow,
            ChangedPath = "/etc/modules-load.d/x.conf",
            Process = new LoaderProcess { Pid = loader.Id, ExecutablePath = exe, Name = "sleep" },
        };

        Decision d = Enforcer(kernel: LinuxModuleSyscalls.Instance).Enforce(change, Decide(Policy, change));

        Assert.Equal(EnforcementAction.KilledLoader, d.Action);
        Assert.True(loader.WaitForExit(5000));
        Assert.Equal(128 + 9, loader.ExitCode);
    }

    [SkippableFact]
    public void The_real_delete_module_answers_with_an_errno_name()
    {
        // Here (no module support) the kernel says ENOSYS; elsewhere ENOENT as root or EPERM without CAP_SYS_MODULE.
        ModuleActivity a = Load("kmodguard_test_no_such_module");
        Decision d = Enforcer(kernel: LinuxModuleSyscalls.Instance).Enforce(a, Decide(Policy, a));
        Assert.Equal(EnforcementAction.UnloadFailed, d.Action);
        Assert.Contains(d.ActionError, new[] { "ENOSYS", "ENOENT", "EPERM" });
        if (!File.Exists("/proc/modules"))
        {
            Assert.Equal("ENOSYS", d.ActionError);
        }
    }
}
