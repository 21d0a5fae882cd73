namespace KmodGuard.Linux.Audit.Events;

/// <summary>Bounds of event reassembly.</summary>
internal sealed record AuditAssemblyOptions
{
    /// <summary>An event open this long after its first record is closed (auditd and libauparse use 2 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>More events than this in flight closes the oldest.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>
    /// Measure the timeout on the records' own timestamps instead of the clock: for replaying logs, where records
    /// arrive much faster than they were written.
    /// </summary>
    public bool UseRecordTime { get; init; }

    /// <summary>Per-event bounds against runaway input (an EXECVE with a huge argv is split over many records).</summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    public int MaxRecordsPerEvent { get; init; } = 4096;
}
