using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Session;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Agent.Status;

/// <summary>
/// Reads the kernel's audit status with one AUDIT_GET on a fresh netlink socket. Read-only: it neither registers as
/// the audit daemon nor changes any setting, so it is safe beside auditd or a running agent.
/// </summary>
internal static class KernelAuditReader
{
    /// <summary>The report, or null with <paramref name="error"/> saying why it cannot be read.</summary>
    public static KernelAuditReport? TryRead(out string? error)
    {
        try
        {
            using AuditNetlinkSocket socket = AuditNetlinkSocket.Open();
            AuditStatus s = new AuditControl(socket).GetStatus();
            error = null;
            return new KernelAuditReport(s.Enabled, s.Failure, s.Pid, s.Pid == 0 ? null : ProcessName((int)s.Pid),
                s.RateLimit, s.BacklogLimit, s.Lost, s.Backlog, s.BacklogWaitTime);
        }
        catch (AuditNetlinkException e)
        {
            // The agent's own explanations: no audit in the kernel, a container, missing privileges.
            error = AuditStartupErrors.Explain(e, multicast: false).Message;
            return null;
        }
        catch (TimeoutException e)
        {
            error = $"cannot read the kernel's audit status: {e.Message}";
            return null;
        }
    }

    private static string? ProcessName(int pid) => ProcFileSystem.Host.ReadComm(pid);
}
