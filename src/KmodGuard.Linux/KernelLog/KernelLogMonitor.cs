using KmodGuard.Core.Events;
using KmodGuard.Linux.Inventory;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// The kernel-log side of the agent in one piece: follows /dev/kmsg from now on, keeps the module messages, attaches
/// them to activities on the decision path (<see cref="Attach"/>), and twice a second hands over the ones that will not
/// be attached any more (late for an activity already decided, or matching none) to <c>report</c>.
/// </summary>
internal sealed class KernelLogMonitor : IDisposable
{
    private static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMilliseconds(500);

    private readonly KernelMessageCorrelator _correlator;
    private readonly KmsgFollower _follower;
    private readonly Timer _expiry;
    private readonly Action<KernelMessageReport> _report;

    private KernelLogMonitor(SysModuleReader sysModule, Action<KernelMessageReport> report, Action<string>? onError, string path)
    {
        _report = report;
        _correlator = new KernelMessageCorrelator(KernelMessageCorrelator.DefaultWindow, sysModule.ReadTaint);
        DateTimeOffset boot = KmsgFollower.BootTime;
        _follower = KmsgFollower.Start(
            r =>
            {
                if (KernelModuleMessageClassifier.Classify(r, boot) is { } message)
                {
                    _correlator.Observe(message);
                }
            },
            fromStart: false,
            path,
            onError);
        _expiry = new Timer(_ => Expire(), null, ExpiryPeriod, ExpiryPeriod);
    }

    /// <summary>Messages dropped because too many were waiting (a flood), and records the ring buffer overwrote unread.</summary>
    public long Lost => _correlator.Dropped + _follower.Overwritten;

    /// <exception cref="IOException">/dev/kmsg cannot be opened; the message says why.</exception>
    public static KernelLogMonitor Start(SysModuleReader sysModule, Action<KernelMessageReport> report, Action<string>? onError = null, string path = KmsgDevice.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(sysModule);
        ArgumentNullException.ThrowIfNull(report);
        return new KernelLogMonitor(sysModule, report, onError, path);
    }

    /// <summary>The activity with the kernel's messages about it so far and the module's taint letters.</summary>
    public ModuleActivity Attach(ModuleActivity activity) => _correlator.Attach(activity);

    public void Dispose()
    {
        _expiry.Dispose();
        _follower.Dispose();
        Expire();
    }

    private void Expire()
    {
        foreach (KernelMessageReport report in _correlator.Expire(DateTimeOffset.UtcNow))
        {
            _report(report);
        }
    }
}
