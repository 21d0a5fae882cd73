namespace KmodGuard.Linux.Audit.Events;

/// <summary>Serials <see cref="First"/>..<see cref="Last"/> (possibly across the u32 rollover) never arrived.</summary>
internal sealed record AuditSerialGap(uint First, uint Last, long Count);
