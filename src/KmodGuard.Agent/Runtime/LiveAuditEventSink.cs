using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Agent.Runtime;

/// <summary>
/// Where the live audit pipeline's output goes, on the reader thread: activities to the processor, and the agent's
/// own concerns (someone removing our rules or turning auditing off, lost serials, malformed records) to callbacks.
/// Everything here returns immediately.
/// </summary>
internal sealed class LiveAuditEventSink(
    Action<ModuleActivity> onActivity,
    string ruleKey,
    Action<AuditConfigChange> onTamper,
    Action<AuditSerialGap> onLost,
    Action<AuditMalformedRecord> onMalformed) : IAuditEventSink
{
    private volatile bool _stopping;

    /// <summary>Set while the agent stops: its own rule removals are not tampering.</summary>
    public void Stopping() => _stopping = true;

    public void OnActivity(ModuleActivity activity) => onActivity(activity);

    public void OnConfigChange(AuditConfigChange change)
    {
        // Our own changes are not tampering: at start the agent removes rules a crashed predecessor left behind, and
        // when it is not the registered daemon the kernel audits those requests too.
        if (!_stopping && change.Pid != Environment.ProcessId && (change.RemovesRuleWithKey(ruleKey) || change.DisablesAuditing))
        {
            onTamper(change);
        }
    }

    public void OnSerialsLost(AuditSerialGap gap) => onLost(gap);

    public void OnMalformedRecord(AuditMalformedRecord record) => onMalformed(record);
}
