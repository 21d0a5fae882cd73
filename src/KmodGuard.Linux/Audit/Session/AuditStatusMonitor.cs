using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>
/// Polls the kernel's audit status on the control socket: reports the growth of the kernel's lost counter, and
/// auditing being switched off by someone else. Polling on its own socket keeps it going when the data path is busy.
/// </summary>
internal sealed class AuditStatusMonitor(AuditControl control, TimeSpan interval)
{
    private uint? _lastLost;

    public AuditStatus Last { get; private set; }

    /// <summary>The kernel's lost counter grew by this much since the last poll.</summary>
    public event Action<uint, AuditStatus>? Lost;

    /// <summary>Auditing was found disabled (enabled = 0) while we run.</summary>
    public event Action<AuditStatus>? Disabled;

    public event Action<Exception>? Failed;

    public long KernelLostSinceStart { get; private set; }

    /// <summary>One poll; also called by tests and by the status command.</summary>
    public AuditStatus Poll()
    {
        AuditStatus status = control.GetStatus();
        Last = status;
        if (_lastLost is uint previous && status.Lost != previous)
        {
            // The counter is a u32 that another process may reset: a drop means a reset, count from zero.
            uint delta = status.Lost > previous ? status.Lost - previous : status.Lost;
            KernelLostSinceStart += delta;
            if (delta > 0)
            {
                Lost?.Invoke(delta, status);
            }
        }

        _lastLost = status.Lost;
        if (status.Enabled == 0)
        {
            Disabled?.Invoke(status);
        }

        return status;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    Poll();
                }
                catch (Exception e) when (e is AuditNetlinkException or TimeoutException)
                {
                    Failed?.Invoke(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
