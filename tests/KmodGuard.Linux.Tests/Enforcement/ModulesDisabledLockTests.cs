using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Linux.Enforcement;
using Microsoft.Extensions.Logging;
using NSubstitute;

namespace KmodGuard.Linux.Tests.Enforcement;

public sealed class ModulesDisabledLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-lock-").FullName;
    private readonly ILogger _log = Substitute.For<ILogger>();

    public ModulesDisabledLockTests() => _log.IsEnabled(Arg.Any<LogLevel>()).Returns(true);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CompiledPolicy Policy(string mode, bool lockAfterBaseline) => PolicyLoader.Load(
        System.Text.Encoding.UTF8.GetBytes($"version: 1\nmode: {mode}\ndefault: allow\nlock_after_baseline: {(lockAfterBaseline ? "true" : "false")}\nrules: []\n"), "test.yaml");

    private string Sysctl(string value)
    {
        string path = Path.Combine(_dir, "modules_disabled");
        File.WriteAllText(path, value);
        return path;
    }

    [Fact]
    public void Enforce_mode_writes_1_and_says_so_loudly()
    {
        string path = Sysctl("0\n");
        LockResult r = new ModulesDisabledLock(path, _log).EngageIfRequested(Policy("enforce", true));

        Assert.Equal(LockOutcome.Locked, r.Outcome);
        Assert.Equal("1\n", File.ReadAllText(path));
        Assert.StartsWith("LOCKED module loading", r.Message, StringComparison.Ordinal);
        Assert.Contains("until reboot", r.Message, StringComparison.Ordinal);
        _log.Received(1).Log(LogLevel.Warning, Arg.Any<EventId>(), Arg.Any<Arg.AnyType>(), null, Arg.Any<Func<Arg.AnyType, Exception?, string>>());
    }

    [Fact]
    public void Monitor_mode_only_says_what_it_would_do()
    {
        string path = Sysctl("0\n");
        LockResult r = new ModulesDisabledLock(path, _log).EngageIfRequested(Policy("monitor", true));
        Assert.Equal(LockOutcome.WouldLock, r.Outcome);
        Assert.Equal("0\n", File.ReadAllText(path));
    }

    [Fact]
    public void Off_already_locked_unsupported_and_unwritable_are_told_apart()
    {
        Assert.Equal(LockOutcome.NotRequested, new ModulesDisabledLock(Sysctl("0\n"), _log).EngageIfRequested(Policy("enforce", false)).Outcome);
        Assert.Equal(LockOutcome.AlreadyLocked, new ModulesDisabledLock(Sysctl("1\n"), _log).EngageIfRequested(Policy("enforce", true)).Outcome);
        Assert.Equal(LockOutcome.NotSupported, new ModulesDisabledLock(Path.Combine(_dir, "absent"), _log).EngageIfRequested(Policy("enforce", true)).Outcome);

    }

    [SkippableFact]
    public void A_write_the_kernel_refuses_is_a_failure_not_a_crash()
    {
        // /dev/full reads as zeros and refuses every write with ENOSPC, whoever asks (root ignores file modes).
        Skip.IfNot(File.Exists("/dev/full"), "needs /dev/full");
        LockResult r = new ModulesDisabledLock("/dev/full", _log).EngageIfRequested(Policy("enforce", true));
        Assert.Equal(LockOutcome.Failed, r.Outcome);
        Assert.StartsWith("could not lock module loading through /dev/full", r.Message, StringComparison.Ordinal);
        _log.Received(1).Log(LogLevel.Error, Arg.Any<EventId>(), Arg.Any<Arg.AnyType>(), null, Arg.Any<Func<Arg.AnyType, Exception?, string>>());
    }

    [SkippableFact]
    public void This_kernel_without_module_support_has_nothing_to_lock()
    {
        Skip.If(File.Exists("/proc/sys/kernel/modules_disabled"), "this kernel supports modules; the test never locks a real kernel");
        LockResult r = new ModulesDisabledLock("/proc/sys/kernel/modules_disabled", _log).EngageIfRequested(Policy("enforce", true));
        Assert.Equal(LockOutcome.NotSupported, r.Outcome);
    }
}
