using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Tests;

/// <summary>
/// Snapshot of the kernel's audit state taken when a test starts; Dispose puts it back whatever the test did or
/// failed to do: rules added since are deleted, enabled/backlog settings restored, a dead registrant unregistered.
/// </summary>
internal sealed class KernelAuditState : IDisposable
{
    private readonly AuditNetlinkSocket _socket = AuditNetlinkSocket.Open();
    private readonly HashSet<string> _rules;

    public KernelAuditState()
    {
        Control = new AuditControl(_socket);
        Initial = Control.GetStatus();
        _rules = Control.ListRules().Select(Convert.ToHexString).ToHashSet();
    }

    public AuditControl Control { get; }

    public AuditStatus Initial { get; }

    public void Dispose()
    {
        foreach (byte[] rule in Control.ListRules().Where(r => !_rules.Contains(Convert.ToHexString(r))))
        {
            try
            {
                Control.DeleteRule(rule);
            }
            catch (AuditNetlinkException)
            {
            }
        }

        AuditStatus now = Control.GetStatus();
        if (now.Pid != 0 && Initial.Pid == 0 && !Directory.Exists($"/proc/{now.Pid}"))
        {
            // A registrant killed by the test: take its place and leave, or later tests would find a daemon registered.
            Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskPid, Pid = (uint)Environment.ProcessId });
            Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskPid, Pid = 0 });
        }

        if (now.Enabled != 2)
        {
            Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskBacklogLimit, BacklogLimit = Initial.BacklogLimit });
            Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskBacklogWaitTime, BacklogWaitTime = Initial.BacklogWaitTime });
            Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskEnabled, Enabled = Initial.Enabled });
        }

        _socket.Dispose();
    }
}
