using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Processes;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>
/// The agent's hold on the kernel's audit subsystem, from start to stop: decides unicast or multicast, sets up
/// what it needs (backlog, enabled, registration, our rules), and on stop removes exactly its own rules and puts
/// back every setting it changed.
/// </summary>
internal sealed partial class AuditSession : IDisposable
{
    private readonly AuditSessionOptions _options;
    private readonly ILogger _logger;
    private readonly AuditControl _control;
    private readonly AuditSettingsJournal _journal;
    private AuditStatus _original;
    private bool _registered;
    private bool _stopped;

    private AuditSession(AuditSessionOptions options, ILogger logger, AuditControl control, AuditNetlinkSocket data, AuditMode mode, string reason, AuditStatus initial)
    {
        _options = options;
        _logger = logger;
        _control = control;
        Data = data;
        Mode = mode;
        Reason = reason;
        InitialStatus = initial;
        _journal = new AuditSettingsJournal(options.StateFile);
    }

    /// <summary>The socket records arrive on (the registered one in unicast mode, the multicast member otherwise).</summary>
    public AuditNetlinkSocket Data { get; }

    /// <summary>Control requests (status polls, rule listing) on a socket of their own, so a busy data socket never stalls them.</summary>
    public AuditControl Control => _control;

    public AuditMode Mode { get; }

    /// <summary>Why this mode was chosen, in words.</summary>
    public string Reason { get; }

    public AuditStatus InitialStatus { get; }

    public bool Locked => InitialStatus.Locked;

    public int RulesInstalled { get; private set; }

    /// <summary>Opens the audit subsystem and sets it up. Records that arrive during set-up go to <paramref name="records"/>.</summary>
    public static AuditSession Start(AuditSessionOptions options, ILogger logger, AuditRecordHandler records)
    {
        ArgumentNullException.ThrowIfNull(options);
        AuditNetlinkSocket? controlSocket = null;
        AuditNetlinkSocket? data = null;
        try
        {
            controlSocket = Open(0, 0, multicast: false);
            var control = new AuditControl(controlSocket);
            AuditStatus status = Get(control);
            (AuditMode mode, string reason) = ChooseMode(options.Mode, status);
            data = Open(mode == AuditMode.Multicast ? NetlinkConstants.ReadLogGroup : 0, options.ReceiveBufferBytes, mode == AuditMode.Multicast);
            var session = new AuditSession(options, logger, control, data, mode, reason, status);
            session.SetUp(records);
            return session;
        }
        catch
        {
            data?.Dispose();
            controlSocket?.Dispose();
            throw;
        }
    }

    private static AuditNetlinkSocket Open(uint groups, int receiveBuffer, bool multicast)
    {
        try
        {
            return AuditNetlinkSocket.Open(groups, receiveBuffer);
        }
        catch (AuditNetlinkException e)
        {
            throw AuditStartupErrors.Explain(e, multicast);
        }
    }

    private static AuditStatus Get(AuditControl control)
    {
        try
        {
            return control.GetStatus();
        }
        catch (AuditNetlinkException e)
        {
            throw AuditStartupErrors.Explain(e, multicast: false);
        }
    }

    internal static (AuditMode Mode, string Reason) ChooseMode(AuditMode requested, AuditStatus status)
    {
        if (status.Locked)
        {
            return (AuditMode.Multicast, "the audit configuration is locked (enabled=2) until reboot: reading the multicast group, no rule changes");
        }

        // A daemon killed without unregistering stays the kernel's audit_pid until the kernel next tries to reach it;
        // registering then succeeds (the kernel finds the old socket gone), so a dead owner is no owner.
        if (status.Pid != 0 && !Directory.Exists($"/proc/{status.Pid}") && requested != AuditMode.Multicast)
        {
            return (AuditMode.Unicast, $"pid {status.Pid} is still registered as the audit daemon but no longer runs (killed without unregistering): taking its place");
        }

        string owner = status.Pid == 0 ? string.Empty : DescribeProcess((int)status.Pid);
        return requested switch
        {
            AuditMode.Unicast when status.Pid != 0 =>
                throw new AuditUnavailableException($"unicast mode was requested but {owner} is already the registered audit daemon; stop it, or run kmodguard with --audit-mode multicast (or auto) beside it"),
            AuditMode.Unicast => (AuditMode.Unicast, "unicast requested and no audit daemon is registered"),
            AuditMode.Multicast => (AuditMode.Multicast, "multicast requested"),
            _ when status.Pid != 0 => (AuditMode.Multicast, $"{owner} owns unicast: reading the multicast group beside it"),
            _ => (AuditMode.Unicast, "no audit daemon is registered: registering as the audit daemon"),
        };
    }

    private static string DescribeProcess(int pid) =>
        ProcFileSystem.Host.ReadComm(pid) is { } comm ? $"pid {pid} ({comm})" : $"pid {pid}";

    private void SetUp(AuditRecordHandler records)
    {
        LogMode(_logger, Mode, Reason);
        if (Locked)
        {
            LogLocked(_logger);
            return;
        }

        // A predecessor that was killed may have left changed settings and rules behind.
        AuditStatus current = InitialStatus;
        if (_journal.TryReadPrevious() is AuditStatus previous)
        {
            LogRestoringPredecessor(_logger);
            Restore(previous);
            current = _control.GetStatus(); // as the restore left it
        }

        _original = current;
        _journal.Record(current);
        RemoveOurRules(stale: true);

        if (Mode == AuditMode.Unicast)
        {
            Set(new AuditStatus { Mask = AuditStatus.MaskBacklogLimit, BacklogLimit = Math.Max(_options.BacklogLimit, current.BacklogLimit) });
            if (current.SupportsBacklogWaitTime)
            {
                // Never make audited processes wait for us: drop (and count) instead.
                Set(new AuditStatus { Mask = AuditStatus.MaskBacklogWaitTime, BacklogWaitTime = 0 });
            }
        }

        if (current.Enabled == 0)
        {
            Set(new AuditStatus { Mask = AuditStatus.MaskEnabled, Enabled = 1 });
        }

        if (Mode == AuditMode.Unicast)
        {
            Register(records);
        }

        InstallRules();
    }

    private void Register(AuditRecordHandler records)
    {
        var dataControl = new AuditControl(Data, records);
        try
        {
            dataControl.SetStatus(new AuditStatus { Mask = AuditStatus.MaskPid, Pid = (uint)Environment.ProcessId });
            _registered = true;
        }
        catch (AuditNetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            throw new AuditUnavailableException("another process registered as the audit daemon while kmodguard was starting; run with --audit-mode multicast beside it, or stop it", e);
        }
    }

    public void InstallRules()
    {
        int installed = 0;
        foreach (byte[] rule in _options.Rules)
        {
            try
            {
                _control.AddRule(rule);
                installed++;
            }
            catch (AuditNetlinkException e) when (e.Errno == Errno.EEXIST)
            {
                installed++;
            }
        }

        RulesInstalled = installed;
        LogRulesInstalled(_logger, installed, _options.RuleKey);
    }

    /// <summary>Rules with our key currently in the kernel.</summary>
    public List<byte[]> ListOurRules() => _control.ListRules().Where(r => AuditRuleKeys.Has(r, _options.RuleKey)).ToList();

    private void RemoveOurRules(bool stale)
    {
        int removed = 0;
        foreach (byte[] rule in ListOurRules())
        {
            try
            {
                _control.DeleteRule(rule);
                removed++;
            }
            catch (AuditNetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                // Someone removed it first: nothing left to do.
            }
        }

        if (removed > 0)
        {
            if (stale)
            {
                LogStaleRulesRemoved(_logger, removed, _options.RuleKey);
            }
            else
            {
                LogRulesRemoved(_logger, removed, _options.RuleKey);
            }
        }
    }

    private void Set(AuditStatus change) => _control.SetStatus(change);

    /// <summary>Puts back the settings in <paramref name="original"/> that differ from now.</summary>
    private void Restore(AuditStatus original)
    {
        AuditStatus now = _control.GetStatus();
        if (now.BacklogLimit != original.BacklogLimit)
        {
            Set(new AuditStatus { Mask = AuditStatus.MaskBacklogLimit, BacklogLimit = original.BacklogLimit });
        }

        if (now.SupportsBacklogWaitTime && now.BacklogWaitTime != original.BacklogWaitTime)
        {
            Set(new AuditStatus { Mask = AuditStatus.MaskBacklogWaitTime, BacklogWaitTime = original.BacklogWaitTime });
        }

        if (now.Enabled != original.Enabled && now.Enabled != 2)
        {
            Set(new AuditStatus { Mask = AuditStatus.MaskEnabled, Enabled = original.Enabled });
        }
    }

    /// <summary>Removes our rules, restores the settings we changed, unregisters. Records still arriving go to <paramref name="records"/>.</summary>
    public void Stop(AuditRecordHandler? records = null)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!Locked)
        {
            RunStep("remove rules", () => RemoveOurRules(stale: false));
            RunStep("restore settings", () => Restore(_original));
        }

        if (_registered)
        {
            RunStep("unregister", () => new AuditControl(Data, records).SetStatus(new AuditStatus { Mask = AuditStatus.MaskPid, Pid = 0 }));
            _registered = false;
        }

        _journal.Clear();
        LogStopped(_logger);
    }

    /// <summary>Each stop step runs even when an earlier one failed: a half-restored kernel is worse than a logged error.</summary>
    private void RunStep(string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is AuditNetlinkException or TimeoutException)
        {
            LogStopStepFailed(_logger, step, e.Message);
        }
    }

    public void Dispose()
    {
        Stop();
        Data.Dispose();
        _control.Socket.Dispose();
    }

    [LoggerMessage(EventId = 100, EventName = "kmodguard.agent.mode", Level = LogLevel.Information, Message = "audit mode {Mode}: {Reason}")]
    private static partial void LogMode(ILogger logger, AuditMode mode, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "the kernel's audit configuration is locked (auditctl -e 2): kmodguard cannot install its rules or change settings until reboot, and sees only what existing rules report")]
    private static partial void LogLocked(ILogger logger);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "a previous kmodguard did not stop cleanly: restoring the audit settings it recorded")]
    private static partial void LogRestoringPredecessor(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "{Count} audit rules installed (key {Key})")]
    private static partial void LogRulesInstalled(ILogger logger, int count, string key);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "removed {Count} stale audit rules with key {Key} left by a previous run")]
    private static partial void LogStaleRulesRemoved(ILogger logger, int count, string key);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "removed {Count} audit rules with key {Key}")]
    private static partial void LogRulesRemoved(ILogger logger, int count, string key);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "stopping: could not {Step}: {Error}")]
    private static partial void LogStopStepFailed(ILogger logger, string step, string error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "audit session stopped; kernel audit state restored")]
    private static partial void LogStopped(ILogger logger);
}
