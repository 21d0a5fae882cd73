using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>What the <see cref="AuditPipeline"/> produces, live or from a log. Called on the pipeline's thread.</summary>
internal interface IAuditEventSink
{
    /// <summary>A module load/unload (one per syscall) or a change to a module persistence file.</summary>
    void OnActivity(ModuleActivity activity);

    /// <summary>A CONFIG_CHANGE record: rules added or removed, audit settings changed.</summary>
    void OnConfigChange(AuditConfigChange change);

    /// <summary>Serial numbers that never arrived: events the kernel logged and KmodGuard did not get.</summary>
    void OnSerialsLost(AuditSerialGap gap);

    /// <summary>Input that is not an audit record; it was counted and skipped.</summary>
    void OnMalformedRecord(AuditMalformedRecord record);
}
