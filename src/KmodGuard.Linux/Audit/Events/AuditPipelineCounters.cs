namespace KmodGuard.Linux.Audit.Events;

/// <summary>What an <see cref="AuditPipeline"/> has seen so far (a snapshot).</summary>
internal readonly record struct AuditPipelineCounters
{
    public long Records { get; init; }

    public long MalformedRecords { get; init; }

    /// <summary>Records deliberately not parsed (the binary AUDIT_REPLACE probe).</summary>
    public long IgnoredRecords { get; init; }

    public long Events { get; init; }

    public long Activities { get; init; }

    public long ConfigChanges { get; init; }

    public long LostSerials { get; init; }

    public long LateRecords { get; init; }

    public long TimedOutEvents { get; init; }

    public long EvictedEvents { get; init; }

    public long OversizedRecords { get; init; }

    /// <summary>KERN_MODULE records without the SYSCALL record that says load or unload (not mapped).</summary>
    public long UnattributedModuleRecords { get; init; }
}
