namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>Receives one audit record as the kernel sent it: its type and its text payload (a view into a reused buffer).</summary>
internal delegate void AuditRecordHandler(ushort type, ReadOnlySpan<byte> payload);
