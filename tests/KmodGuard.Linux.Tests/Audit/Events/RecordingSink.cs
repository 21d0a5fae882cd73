using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Linux.Tests.Audit.Events;

/// <summary>Collects what a pipeline produces.</summary>
internal sealed class RecordingSink : IAuditEventSink
{
    public List<ModuleActivity> Activities { get; } = [];

    public List<AuditConfigChange> ConfigChanges { get; } = [];

    public List<AuditSerialGap> Gaps { get; } = [];

    public List<AuditMalformedRecord> Malformed { get; } = [];

    public void OnActivity(ModuleActivity activity) => Activities.Add(activity);

    public void OnConfigChange(AuditConfigChange change) => ConfigChanges.Add(change);

    public void OnSerialsLost(AuditSerialGap gap) => Gaps.Add(gap);

    public void OnMalformedRecord(AuditMalformedRecord record) => Malformed.Add(record);
}

/// <summary>Collects assembled events as (serial, record types, completion), since events are only valid in the callback.</summary>
internal sealed class RecordingAssembledEvents : IAssembledEventHandler
{
    public List<(uint Serial, int[] Types, AuditEventCompletion Completion)> Events { get; } = [];

    public List<(uint First, uint Last, long Count)> Lost { get; } = [];

    public void OnEvent(AuditEvent auditEvent) =>
        Events.Add((auditEvent.Serial, Enumerable.Range(0, auditEvent.RecordCount).Select(auditEvent.RecordType).ToArray(), auditEvent.Completion));

    public void OnSerialsLost(uint first, uint last, long count) => Lost.Add((first, last, count));
}
