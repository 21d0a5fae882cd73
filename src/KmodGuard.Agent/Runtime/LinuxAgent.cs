using System.Runtime.Versioning;
using KmodGuard.Agent.Configuration;
using KmodGuard.Agent.Service;
using KmodGuard.Core.Attack;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Audit.Session;
using KmodGuard.Linux.Enforcement;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Linux.Modules;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Linux.Processes;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Agent.Runtime;

/// <summary>
/// The Linux agent, composed: the audit session and its reader loop feed the record pipeline; activities are
/// enriched, decided, enforced and recorded by the <see cref="ActivityProcessor"/>; around them the kernel log
/// monitor, the status poller (loss, auditing switched off), the guard on our rules, the start-up inventory, policy
/// reloads, the status socket and systemd notifications.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed partial class LinuxAgent(AgentConfig config, PolicyHolder policy, TrustedCertificates certificates, IDecisionSink sink, ILogger log, ServiceNotifier notifier)
{
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromSeconds(1);

    private readonly SysModuleReader _sysModule = new(HostPaths.Real);
    private long _malformed;

    /// <summary>Set once the session is up: the status source reads it.</summary>
    public AgentRuntimeState State { get; } = new();

    /// <summary>Runs until <paramref name="stop"/>; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        // Enrichment runs on the thread pool within a 2 ms budget: a pool that starts with one thread per CPU (one, on
        // a small VM) and grows slowly would make every enrichment miss it under load.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io);

        var inspector = new ModuleInspector(certificates);
        var execs = new ExecEventCache();
        ModuleEnricher enricher = ModuleEnricher.ForHost(inspector, execs);
        var enforcer = new ModuleEnforcer(policy, LinuxModuleSyscalls.Instance, _sysModule, UnloadRetry.Default with { Budget = config.Enforcement.UnloadRetryBudget });

        using KernelLogMonitor? kernelLog = StartKernelLog();
        var processor = new ActivityProcessor(
            policy,
            sink,
            a =>
            {
                RememberLoader(execs, a);
                return enricher.Enrich(a, ModuleEnricher.DefaultBudget);
            },
            a => kernelLog?.Attach(a) ?? a,
            (a, d) => Enforce(enforcer, a, d));
        processor.Failed += (a, e) => LogDecisionFailed(log, a.Id ?? "(no id)", e.GetType().Name, e.Message);
        State.Processor = processor;

        LiveAuditEventSink events = new(
            a =>
            {
                try
                {
                    // On the reader thread, before queueing: the loader's descriptor closes when it exits.
                    enricher.Pin(a);
                }
                finally
                {
                    // Whatever pinning did, the activity is decided.
                    processor.Enqueue(a);
                }
            },
            KmodGuardRuleSet.Key,
            OnTamper,
            OnSerialsLost,
            OnMalformed);
        var pipeline = new AuditPipeline(events);
        KmodGuardRuleSet rules = KmodGuardRuleSet.ForThisMachine();
        AuditSessionOptions options = config.Audit.ToSessionOptions(config.StateDirectory) with
        {
            Rules = rules.Rules.Select(r => r.Bytes).ToArray(),
            RuleKey = KmodGuardRuleSet.Key,
        };

        AuditSession session;
        try
        {
            session = AuditSession.Start(options, log, (type, payload) => pipeline.PushNetlink(type, payload));
        }
        catch (AuditUnavailableException e)
        {
            LogCannotStart(log, e.Message);
            return ExitCodes.Usage;
        }

        using (session)
        {
            State.Session = session;
            var monitor = new AuditStatusMonitor(session.Control, StatusPollInterval);
            State.Monitor = monitor;
            monitor.Lost += (delta, _) => OnKernelLost(delta);
            monitor.Disabled += _ => OnAuditingDisabled(session);
            monitor.Failed += e => LogStatusPollFailed(log, e.Message);
            using var ruleGuard = new RuleGuard(session, options.Rules, log, OnRepaired);
            _ruleGuard = ruleGuard;

            var reader = new AuditRecordReader(session.Data, (type, payload) => pipeline.PushNetlink(type, payload), () =>
            {
                pipeline.Tick();
                notifier.Watchdog();
            });
            reader.Overflowed += count => log.LostEvents("socket_overflow", count);
            reader.HandlerFailed += e => LogHandlerFailed(log, reader.HandlerFailures, e.GetType().Name, e.Message);
            reader.MalformedDatagram += count =>
            {
                if (count <= 10 || count % 1000 == 0)
                {
                    LogMalformedDatagram(log, count); // counted always, logged like malformed records
                }
            };

            using var readerStop = new CancellationTokenSource();
            Task reading = reader.RunAsync(readerStop.Token);
            Task deciding = processor.RunAsync();
            Task polling = monitor.RunAsync(stop);

            string version = AgentVersion.Current.Short, mode = Words.Of(policy.Current.Mode);
            log.Started(version, mode, policy.Current.Sha256);
            notifier.Ready($"{session.Mode.ToString().ToLowerInvariant()} mode, {session.RulesInstalled} rules, policy {PolicyReloader.Describe(policy.Current)}");
            Task baseline = Task.Run(() => TakeBaseline(inspector), CancellationToken.None);

            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            log.Stopping("signal");
            notifier.Stopping("removing audit rules and restoring the kernel's audit settings");
            events.Stopping();
            ruleGuard.Dispose(); // no repair may re-add a rule once the session starts removing them
            await readerStop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            await polling.ConfigureAwait(false);
            await baseline.ConfigureAwait(false);

            // Records still in flight during unregistration reach the pipeline before it is flushed.
            session.Stop((type, payload) => pipeline.PushNetlink(type, payload));
            pipeline.Flush();
            processor.Complete();
            await deciding.ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private readonly Lock _tamperGate = new();
    private RuleGuard? _ruleGuard;
    private string? _tamperBy;
    private int _tamperRemoved;
    private bool _tamperDisabled;

    private KernelLogMonitor? StartKernelLog()
    {
        try
        {
            return KernelLogMonitor.Start(_sysModule, OnKernelMessage, message => LogKernelLogError(log, message));
        }
        catch (IOException e)
        {
            LogKernelLogError(log, e.Message);
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            LogKernelLogError(log, e.Message);
            return null;
        }
    }

    /// <summary>Kernel messages that came after their activity update its record; those matching no activity are
    /// findings of their own (a load the audit rules did not see), decided like any activity.</summary>
    private void OnKernelMessage(KernelMessageReport report)
    {
        ActivityProcessor? processor = State.Processor;
        if (processor is null)
        {
            return;
        }

        if (report.ActivityId is { } id && processor.UpdateWithKernelMessage(id, a => a with
        {
            KernelMessages = [.. a.KernelMessages ?? [], report.Message.Text],
            TaintFlags = report.Message.ModuleName is { } m ? _sysModule.ReadTaint(m) ?? a.TaintFlags : a.TaintFlags,
        }))
        {
            return;
        }

        string? taint = report.Message.ModuleName is { } module ? _sysModule.ReadTaint(module) : null;
        processor.Enqueue(KernelLogActivities.Unmatched(report.Message, DateTimeOffset.UtcNow, taint));
    }

    private Decision Enforce(ModuleEnforcer enforcer, ModuleActivity activity, Decision decision)
    {
        Decision done = enforcer.Enforce(activity, decision);
        if (done.Action == EnforcementAction.UnloadFailed || done.ActionError is not null)
        {
            log.EnforcementFailed(activity.Module.Name ?? "(unknown)", Words.Of(done.Action), done.ActionError ?? "unknown error");
        }

        return done;
    }

    /// <summary>The loader's facts from the audit event, so its context survives the process exiting.</summary>
    private static void RememberLoader(ExecEventCache execs, ModuleActivity activity)
    {
        if (activity.Process is { Pid: int pid } p && p.ExecutablePath is not null)
        {
            execs.Record(new ExecEvent(pid, activity.EventTime ?? activity.ReceiveTime)
            {
                ParentPid = p.ParentPid,
                ExecutablePath = p.ExecutablePath,
                Arguments = p.Arguments,
                WorkingDirectory = p.WorkingDirectory,
                UserId = p.UserId,
                EffectiveUserId = p.EffectiveUserId,
            });
        }
    }

    /// <summary>What was loaded while the agent was not running, hidden modules, and the optional lock.</summary>
    private void TakeBaseline(ModuleInspector inspector)
    {
        try
        {
            var errors = new List<string>();
            ModuleInventory inventory = new ModuleInventoryReader(HostPaths.Real, path => inspector.Inspect(path).ApplyTo(new ModuleFacts { FilePath = path })).Read();
            BaselineChanges changes = new InventoryBaselineStore(config.StateDirectory).Update(inventory, errors);
            errors.ForEach(e => LogBaselineError(log, e));
            foreach (ModuleActivity activity in InventoryActivities.LoadedWhileAway(changes, inventory))
            {
                // Modules found at start are reported, not unloaded: they may be in use since boot.
                sink.Record(activity, policy.Current.Decide(activity));
            }

            foreach (InventoryFinding finding in inventory.Findings)
            {
                (ModuleActivity activity, Decision decision) = InventoryAlerts.For(finding, inventory, policy.Current.Mode);
                sink.Record(activity, decision);
            }

            new ModulesDisabledLock(HostPaths.Real.ModulesDisabled, log).EngageIfRequested(policy.Current);
            if (config.Enforcement.ModprobeDenylist)
            {
                SyncDenylist(policy.Current, log);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogBaselineError(log, e.Message);
        }
    }

    /// <summary>Called per CONFIG_CHANGE record (auditctl -D removes rules one by one): remembers who, and asks the guard
    /// for one repair, which then raises one tamper alert for the whole burst.</summary>
    private void OnTamper(AuditConfigChange change)
    {
        string who = change.Pid is int pid ? $"pid {pid} ({change.Comm ?? "?"}, auid {change.AuditUserId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"})" : "another process";
        lock (_tamperGate)
        {
            _tamperBy = who;
            _tamperDisabled |= change.DisablesAuditing;
            _tamperRemoved += change.DisablesAuditing ? 0 : 1;
        }

        _ruleGuard?.Restore();
    }

    private void OnAuditingDisabled(AuditSession session)
    {
        if (!session.Locked)
        {
            lock (_tamperGate)
            {
                _tamperDisabled = true;
            }

            _ruleGuard?.Restore();
        }
    }

    /// <summary>One alert per repair (ATT&amp;CK T1562.012), naming what was done to the sensor and what was put back.</summary>
    private void OnRepaired(int added, bool reenabled)
    {
        string who;
        int removed;
        bool disabled;
        lock (_tamperGate)
        {
            (who, removed, disabled) = (_tamperBy ?? "another process", _tamperRemoved, _tamperDisabled || reenabled);
            (_tamperBy, _tamperRemoved, _tamperDisabled) = (null, 0, false);
        }

        if (removed == 0 && !disabled && added == 0)
        {
            return;
        }

        string kind = disabled ? "audit_disabled" : "audit_rules_removed";
        string what = disabled
            ? $"{who} turned the kernel's auditing off ({AttackTechniques.DisableOrModifyLinuxAudit}); turned it back on and put back {added} rules"
            : $"{who} removed {removed} audit rules with key {KmodGuardRuleSet.Key} ({AttackTechniques.DisableOrModifyLinuxAudit}); put back {added}";
        log.Tamper(kind, what);
    }

    private void OnKernelLost(uint delta)
    {
        KmodGuardMetrics.KernelLostEvents.Add(delta);
        log.LostEvents("audit", delta);
    }

    private void OnSerialsLost(AuditSerialGap gap) => log.LostEvents("serial_gap", gap.Count);

    private void OnMalformed(AuditMalformedRecord record)
    {
        long n = Interlocked.Increment(ref _malformed);
        // Counted always, logged for the first few and then every 1000th, so a flood of garbage cannot flood the log.
        if (n <= 10 || n % 1000 == 0)
        {
            LogMalformed(log, n, record.Error.ToString(), record.Excerpt);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Critical, Message = "kmodguard cannot watch module loads: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "kernel log: {Message}")]
    private static partial void LogKernelLogError(ILogger logger, string message);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "polling the kernel's audit status failed: {Message}")]
    private static partial void LogStatusPollFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "start-up inventory: {Message}")]
    private static partial void LogBaselineError(ILogger logger, string message);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "activity {Id} could not be decided: {Type}: {Message}")]
    private static partial void LogDecisionFailed(ILogger logger, string id, string type, string message);

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "handling an audit record failed ({Count} so far), reading goes on: {Type}: {Message}")]
    private static partial void LogHandlerFailed(ILogger logger, long count, string type, string message);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "malformed audit record #{Count} skipped ({Error}): {Excerpt}")]
    private static partial void LogMalformed(ILogger logger, long count, string error, string excerpt);

    /// <summary>Writes the policy's exact module denies as /etc/modprobe.d/kmodguard.conf and says how it went (a file
    /// that is not ours, or a read-only /etc, is a warning: modprobe then does not refuse those modules).</summary>
    internal static void SyncDenylist(Core.Policy.Compiled.CompiledPolicy current, ILogger log)
    {
        DenylistSync result = new ModprobeDenylist(ModprobeDenylist.DefaultPath).Sync(current);
        LogDenylist(log, result.Outcome is DenylistOutcome.Refused or DenylistOutcome.Failed ? LogLevel.Warning : LogLevel.Information, result.Message);
    }

    [LoggerMessage(EventId = 208, Message = "modprobe denylist: {Message}")]
    private static partial void LogDenylist(ILogger logger, LogLevel level, string message);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "malformed netlink datagram #{Count}: its framing broke, the rest of it was skipped")]
    private static partial void LogMalformedDatagram(ILogger logger, long count);
}
