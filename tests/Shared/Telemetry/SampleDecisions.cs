using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// Known decisions carrying every documented attribute: a Linux allow and deny (audit source) and a macOS allow and
/// deny (Endpoint Security source). The telemetry test producer emits them; receiver tests compare what arrives.
/// </summary>
internal static class SampleDecisions
{
    public static readonly DateTimeOffset Time = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static (ModuleActivity Activity, Decision Decision) LinuxAllow(int n = 0) => (
        new ModuleActivity
        {
            Id = $"audit:1764324000.123:{4000 + n}",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            EventTime = Time,
            ReceiveTime = Time.AddMilliseconds(3),
            Container = ContainerContext.Host,
            Source = new LinuxAuditSource { SyscallName = "finit_module", SyscallNumber = 313, Arch = "x86_64", Success = true, Exit = 0, Serial = (ulong)(4000 + n), Key = "kmodguard" },
            Module = new ModuleFacts
            {
                Name = "crc7",
                FilePath = "/lib/modules/6.1.0-28-amd64/kernel/lib/crc7.ko",
                Sha256 = new string('a', 64),
                Size = 13_337,
                SignatureStatus = SignatureStatus.SignedTrusted,
                Signer = "Debian Secure Boot CA",
            },
            Process = new LoaderProcess
            {
                Pid = 4242 + n,
                ParentPid = 1000,
                ExecutablePath = "/usr/bin/kmod",
                Name = "modprobe",
                CommandLine = "modprobe crc7",
                Arguments = ["modprobe", "crc7"],
                UserId = 0,
                UserName = "root",
                EffectiveUserId = 0,
                AuditUserId = 1000,
                AuditUserName = "alice",
                SessionId = 3,
            },
        },
        new Decision
        {
            Verdict = Verdict.Allow,
            Severity = Severity.Info,
            Reason = "no rule matched, policy default allow",
            Mode = PolicyMode.Enforce,
            Techniques = ["T1547.006"],
            PolicyHash = "0123456789abcdef",
        });

    public static (ModuleActivity Activity, Decision Decision) LinuxDeny(int n = 0) => (
        new ModuleActivity
        {
            Id = $"audit:1764324001.456:{5000 + n}",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            EventTime = Time.AddSeconds(1),
            ReceiveTime = Time.AddSeconds(1).AddMilliseconds(2),
            Container = ContainerContext.Container("3f2a9c0d7e1b", "docker"),
            Source = new LinuxAuditSource { SyscallName = "init_module", SyscallNumber = 175, Arch = "x86_64", Success = false, Exit = -1, Errno = "EPERM", Serial = (ulong)(5000 + n) },
            Module = new ModuleFacts
            {
                Name = "evil_rk",
                FilePath = "/tmp/evil_rk.ko",
                Sha256 = new string('b', 64),
                SignatureStatus = SignatureStatus.Unsigned,
            },
            Process = new LoaderProcess
            {
                Pid = 31337 + n,
                ParentPid = 31000,
                ExecutablePath = "/usr/sbin/insmod",
                Name = "insmod",
                CommandLine = "insmod /tmp/evil_rk.ko",
                UserId = 0,
                UserName = "root",
                AuditUserId = 1001,
                SessionId = 7,
            },
        },
        new Decision
        {
            Verdict = Verdict.Deny,
            Severity = Severity.High,
            RuleId = "deny-world-writable-paths",
            RuleDescription = "Module file in a temporary directory",
            RuleAction = RuleAction.Deny,
            Reason = "rule deny-world-writable-paths matched",
            Mode = PolicyMode.Enforce,
            Action = EnforcementAction.Unloaded,
            Techniques = ["T1547.006", "T1611"],
            PolicyHash = "0123456789abcdef",
        });

    public static (ModuleActivity Activity, Decision Decision) MacAllow(int n = 0) => (
        new ModuleActivity
        {
            Id = $"es:{7000 + n}",
            Platform = Platform.MacOS,
            Operation = ModuleOperation.Load,
            EventTime = Time.AddSeconds(2),
            ReceiveTime = Time.AddSeconds(2),
            Source = new MacEndpointSecuritySource { EventType = EsEventType.AuthKextLoad, MessageVersion = 7, SequenceNumber = (ulong)(10 + n), GlobalSequenceNumber = (ulong)(100 + n) },
            Module = new ModuleFacts { Name = "com.apple.driver.AppleHV", SignatureStatus = SignatureStatus.SignedTrusted },
            Process = new LoaderProcess
            {
                Pid = 120 + n,
                ParentPid = 1,
                ExecutablePath = "/usr/libexec/kernelmanagerd",
                Name = "kernelmanagerd",
                UserId = 0,
                SigningId = "com.apple.kernelmanagerd",
                TeamId = "",
                PlatformBinary = true,
            },
        },
        new Decision
        {
            Verdict = Verdict.Allow,
            Severity = Severity.Info,
            RuleId = "allow-apple-platform",
            RuleAction = RuleAction.Allow,
            Reason = "rule allow-apple-platform matched",
            Mode = PolicyMode.Enforce,
            Techniques = ["T1547.006"],
        });

    public static (ModuleActivity Activity, Decision Decision) MacDeny(int n = 0) => (
        new ModuleActivity
        {
            Id = $"es:{8000 + n}",
            Platform = Platform.MacOS,
            Operation = ModuleOperation.Load,
            EventTime = Time.AddSeconds(3),
            ReceiveTime = Time.AddSeconds(3),
            Source = new MacEndpointSecuritySource { EventType = EsEventType.AuthKextLoad, MessageVersion = 7, SequenceNumber = (ulong)(11 + n), GlobalSequenceNumber = (ulong)(101 + n) },
            Module = new ModuleFacts { Name = "com.evil.kext", SignatureStatus = SignatureStatus.SignedUntrusted, Signer = "Developer ID Application: Evil Corp (EVIL123456)" },
            Process = new LoaderProcess
            {
                Pid = 666 + n,
                ParentPid = 500,
                ExecutablePath = "/usr/bin/kmutil",
                Name = "kmutil",
                CommandLine = "kmutil load -p /Library/Extensions/Evil.kext",
                UserId = 501,
                UserName = "bob",
                SigningId = "com.apple.kmutil",
                TeamId = "EVIL123456",
                PlatformBinary = false,
            },
        },
        new Decision
        {
            Verdict = Verdict.Deny,
            Severity = Severity.High,
            RuleId = "deny-untrusted-kexts",
            RuleAction = RuleAction.Deny,
            Reason = "rule deny-untrusted-kexts matched",
            Mode = PolicyMode.Enforce,
            Action = EnforcementAction.Blocked,
            Techniques = ["T1547.006"],
        });

    /// <summary>The four samples for index <paramref name="n"/> (pids and serials differ per index).</summary>
    public static (ModuleActivity Activity, Decision Decision)[] All(int n = 0) => [LinuxAllow(n), LinuxDeny(n), MacAllow(n), MacDeny(n)];
}
