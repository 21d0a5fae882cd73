using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Session;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Agent.Runtime;

/// <summary>
/// Puts our audit rules back (and auditing on) after someone removed them. Requests are coalesced and handled off
/// the reader thread: a burst of CONFIG_CHANGE records (auditctl -D removes rules one by one) restores once.
/// </summary>
internal sealed partial class RuleGuard : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    private readonly AuditSession _session;
    private readonly IReadOnlyList<byte[]> _rules;
    private readonly ILogger _log;
    private readonly Action<int, bool> _report;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    /// <param name="report">After each repair: how many rules were put back, and whether auditing had to be turned back on.</param>
    public RuleGuard(AuditSession session, IReadOnlyList<byte[]> rules, ILogger log, Action<int, bool> report)
    {
        _session = session;
        _rules = rules;
        _log = log;
        _report = report;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Asks for a check and repair soon; returns at once.</summary>
    public void Restore()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        try
        {
            _signal.Release();
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // A restore is already pending: it covers this request too.
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(Settle, _stop.Token).ConfigureAwait(false);
                Repair();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Repair()
    {
        if (_session.Locked)
        {
            return;
        }

        try
        {
            AuditStatus status = _session.Control.GetStatus();
            if (status.Enabled == 0)
            {
                _session.Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskEnabled, Enabled = 1 });
            }

            var present = _session.ListOurRules().Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
            int added = 0;
            foreach (byte[] rule in _rules.Where(r => !present.Contains(Convert.ToHexString(r))))
            {
                try
                {
                    _session.Control.AddRule(rule);
                    added++;
                }
                catch (AuditNetlinkException e) when (e.Errno == Linux.Errno.EEXIST)
                {
                    // Still there (the remover has not reached it yet, or it lists differently): nothing to do.
                }
            }

            _report(added, status.Enabled == 0);
        }
        catch (Exception e) when (e is AuditNetlinkException or TimeoutException)
        {
            LogRestoreFailed(_log, e.Message);
        }
    }

    /// <summary>Stops repairing; after it returns no rule is added any more. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
        _signal.Dispose();
    }

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "could not restore the audit rules: {Error}")]
    private static partial void LogRestoreFailed(ILogger logger, string error);
}
