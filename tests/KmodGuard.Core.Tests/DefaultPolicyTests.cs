using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Core.Tests;

public class DefaultPolicyTests
{
    private static readonly CompiledPolicy Policy = DefaultPolicy.Load();

    private static Decision Decide(ModuleActivity a) => Policy.Decide(a);

    [Fact]
    public void Is_monitor_mode_with_default_allow()
    {
        Assert.Equal(PolicyMode.Monitor, Policy.Mode);
        Assert.Equal(Verdict.Allow, Policy.Definition.Default);
        Assert.Equal(DefaultPolicy.SourceName, Policy.Source);
    }

    [Theory]
    [InlineData("/tmp/x.ko")]
    [InlineData("/var/tmp/a/b.ko")]
    [InlineData("/dev/shm/x.ko")]
    [InlineData("/run/user/1000/x.ko")]
    [InlineData("/home/alice/x.ko")]
    [InlineData("/root/x.ko")]
    public void Denies_modules_from_world_writable_and_home_directories(string path)
    {
        Decision d = Decide(Activities.Load(path: path));
        Assert.Equal(Verdict.Deny, d.Verdict);
        Assert.Equal("deny-world-writable-paths", d.RuleId);
        Assert.Equal(EnforcementAction.WouldDeny, d.Action);
    }

    [Theory]
    [InlineData(SignatureStatus.Unsigned)]
    [InlineData(SignatureStatus.Invalid)]
    public void Denies_unsigned_and_invalid_modules(SignatureStatus status) =>
        Assert.Equal("deny-unsigned-or-invalid", Decide(Activities.Load(signature: status)).RuleId);

    [Fact]
    public void Denies_loads_from_containers() =>
        Assert.Equal("deny-container-loads", Decide(Activities.Load(container: ContainerContext.Container("3f2a", "docker"))).RuleId);

    [Theory]
    [InlineData("rmmod", null)]
    [InlineData("modprobe", null)]
    [InlineData("kmod", null)]
    [InlineData("evil", "alert-unexpected-unloader")]
    public void Alerts_on_unloads_by_unexpected_processes(string process, string? rule)
    {
        Decision d = Decide(Activities.Load(operation: ModuleOperation.Unload, processName: process));
        Assert.Equal(rule, d.RuleId);
        Assert.Equal(Verdict.Allow, d.Verdict);
    }

    [Fact]
    public void Allows_signed_modules_from_the_module_tree()
    {
        Decision d = Decide(Activities.Load());
        Assert.Equal(Verdict.Allow, d.Verdict);
        Assert.Null(d.RuleId);
        Assert.Equal(Severity.Info, d.Severity);
    }

    [Fact]
    public void Unknown_signature_and_unknown_path_are_allowed_not_guessed()
    {
        Decision d = Decide(Activities.Load(path: null, signature: SignatureStatus.Unknown, container: null) with { Container = null });
        Assert.Equal(Verdict.Allow, d.Verdict);
    }
}
