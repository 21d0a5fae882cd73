using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>
/// The managed half of the shim's two callbacks. <see cref="Decide"/> answers AUTH_KEXTLOAD from the policy and
/// allocates nothing once an event's kind is cached; <see cref="Report"/> turns every answered AUTH and every NOTIFY
/// into a decision record. Both run on the shim's one worker thread and never throw into native code.
/// </summary>
/// <remarks>A null sink records nothing (benchmarks measure the verdict path alone with it).</remarks>
internal sealed class KextDecider(PolicyHolder policy, IDecisionSink? sink, EsClientOptions options, TimeProvider time)
{
    private readonly PolicyProbeCache _probes = new();
    private readonly AuthorizationLedger _ledger = new();
    private long _errors;

    public ulong Errors => (ulong)Interlocked.Read(ref _errors);

    /// <summary>The last failure in managed code, for the agent's log.</summary>
    public Exception? LastError { get; private set; }

    private uint DefaultAnswer => options.FailClosed ? KgEs.Deny : KgEs.Allow;

    public uint Decide(in KgEsEvent e)
    {
        try
        {
            CompiledPolicy current = policy.Current;
            PolicyMatch match = current.Evaluate(_probes.Get(in e));
            // Monitor mode records would_deny and lets the load through.
            return match.Verdict == Verdict.Deny && current.Mode == PolicyMode.Enforce ? KgEs.Deny : KgEs.Allow;
        }
#pragma warning disable CA1031 // An exception must not unwind into the shim: answer the configured default.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failed(ex);
            return DefaultAnswer;
        }
    }

    public void Report(in KgEsEvent e)
    {
        if (sink is null)
        {
            return;
        }

        try
        {
            DateTimeOffset now = time.GetUtcNow();
            ModuleActivity activity = EsEventMapper.ToActivity(in e, now);
            Decision decision = policy.Current.Decide(activity);
            decision = e.EventType switch
            {
                KgEs.EventAuthKextLoad => Answered(decision, in e, activity, now),
                KgEs.EventNotifyKextLoad => Loaded(decision, activity, now),
                _ => decision with { Action = EnforcementAction.None },
            };
            sink.Record(activity, decision);
        }
#pragma warning disable CA1031 // A failing record must not take the ES client down; it is counted.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failed(ex);
        }
    }

    private Decision Answered(Decision decision, in KgEsEvent e, ModuleActivity activity, DateTimeOffset now)
    {
        bool denied = e.AuthResult == KgEs.Deny;
        if (!denied)
        {
            _ledger.RecordAllowed(activity.Module.Name ?? "", now);
        }

        if (e.Responder == KgEs.ResponderCallback)
        {
            return denied ? decision with { Action = EnforcementAction.Blocked } : decision;
        }

        string why = e.Responder == KgEs.ResponderWatchdog
            ? "the decision missed its deadline budget"
            : "there was no time to decide (deadline too close, too many pending, or stopping)";
        return decision with
        {
            Action = denied ? EnforcementAction.Blocked : EnforcementAction.None,
            Reason = $"{why}: answered the configured default ({(denied ? "deny" : "allow")}); the policy says {decision.Reason}",
        };
    }

    private Decision Loaded(Decision decision, ModuleActivity activity, DateTimeOffset now)
    {
        decision = decision with { Action = EnforcementAction.None };
        if (_ledger.TryConsume(activity.Module.Name ?? "", now))
        {
            return decision;
        }

        return decision with
        {
            Reason = $"loaded without authorization: no AUTH_KEXTLOAD for this kext was answered allow before it loaded; {decision.Reason}",
            Severity = decision.Verdict == Verdict.Deny ? Severity.Critical : (Severity)Math.Max((int)decision.Severity, (int)Severity.Medium),
        };
    }

    private void Failed(Exception ex)
    {
        Interlocked.Increment(ref _errors);
        LastError = ex;
    }
}
