namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary><c>kg_es_event.flags</c>.</summary>
[Flags]
internal enum KgEsEventFlags : uint
{
    None = 0,
    HasSeqNum = 1 << 0,
    HasGlobalSeqNum = 1 << 1,
    HasParentPids = 1 << 2,
    PlatformBinary = 1 << 3,
    EsClient = 1 << 4,
    ExecutableTruncated = 1 << 5,
    KextIdTruncated = 1 << 6,
    SigningIdTruncated = 1 << 7,
    TeamIdTruncated = 1 << 8,
}
