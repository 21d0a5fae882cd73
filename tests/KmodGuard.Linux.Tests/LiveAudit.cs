using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Tests;

/// <summary>Whether this process can talk to the kernel's audit subsystem; tests that need it skip with the reason.</summary>
internal static class LiveAudit
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public static void SkipUnlessAvailable() => Skip.If(Unavailable.Value is not null, Unavailable.Value);

    /// <summary>Only one process can be the audit daemon: a test that starts the agent in unicast mode needs none.</summary>
    public static void SkipIfDaemonRegistered()
    {
        using AuditNetlinkSocket probe = AuditNetlinkSocket.Open();
        uint pid = new AuditControl(probe).GetStatus().Pid;
        Skip.If(pid != 0, $"another audit daemon (pid {pid}) is registered");
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux";
        }

        if (!Audit.TestEnvironment.IsRoot)
        {
            return "needs root (CAP_AUDIT_CONTROL) to use the kernel's audit netlink socket";
        }

        try
        {
            using AuditNetlinkSocket socket = AuditNetlinkSocket.Open();
            new AuditControl(socket).GetStatus();
            return null;
        }
        catch (Exception e) when (e is AuditNetlinkException or TimeoutException)
        {
            return $"the kernel's audit subsystem is not usable here: {e.Message}";
        }
    }
}
