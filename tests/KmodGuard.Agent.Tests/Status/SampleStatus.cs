using KmodGuard.Agent.Status;

namespace KmodGuard.Agent.Tests.Status;

/// <summary>A status source with fixed numbers, or one that fails, for the server and command tests.</summary>
internal sealed class SampleStatus(Func<StatusSnapshot>? snapshot = null) : IStatusSource
{
    public static StatusSnapshot Snapshot1 { get; } = new()
    {
        Pid = 4242,
        Version = "0.1.0+abcdef123456",
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-90),
        Audit = new AuditStatusPart("multicast", "auditd owns the audit socket", 2, 7),
        Events = 152,
        Decisions = 152,
        Denied = 3,
        Policy = new PolicyStatusPart("/etc/kmodguard/policy.yaml", new string('a', 64), 12, "enforce", DateTimeOffset.UtcNow.AddMinutes(-5)),
        Telemetry = new TelemetryStatusPart("http://collector:4317/", 5, 1),
    };

    public int Calls { get; private set; }

    public StatusSnapshot Snapshot()
    {
        Calls++;
        return (snapshot ?? (() => Snapshot1))();
    }
}
