using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary>
/// <c>kg_es_event</c> from native/es/include/kmodguard_es.h: one ES message as the shim copied it. Field order and
/// sizes are the ABI (1728 bytes); strings are NUL-terminated UTF-8 with their byte length beside them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KgEsEvent
{
    public const int Size = 1728;

    public uint StructSize;
    public uint EventType;
    public uint MessageVersion;
    public KgEsEventFlags Flags;
    public ulong SeqNum;
    public ulong GlobalSeqNum;
    public long TimeUnixNs;
    public long DeadlineNs;
    public int Pid;
    public int PidVersion;
    public int Ppid;
    public int OriginalPpid;
    public int ParentPid;
    public int ResponsiblePid;
    public uint Euid;
    public uint Ruid;
    public uint Auid;
    public int SessionId;
    public uint CodesigningFlags;
    public uint AuthResult;
    public uint Responder;
    public ushort KextIdLength;
    public ushort SigningIdLength;
    public ushort TeamIdLength;
    public ushort ExecutableLength;
    public KgEsBytes256 KextId;
    public KgEsBytes256 SigningId;
    public KgEsBytes32 TeamId;
    public KgEsBytes48 CdHash; // 41 bytes of hex and NUL, then 7 reserved
    public KgEsBytes1024 Executable;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> KextIdBytes => Slice(KextId, KextIdLength);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> SigningIdBytes => Slice(SigningId, SigningIdLength);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> TeamIdBytes => Slice(TeamId, TeamIdLength);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> ExecutableBytes => Slice(Executable, ExecutableLength);

    /// <summary>40 hex digits, or empty when the shim gave none.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> CdHashHex
    {
        get
        {
            ReadOnlySpan<byte> all = CdHash;
            int end = all.IndexOf((byte)0);
            return all[..(end < 0 ? 0 : end)];
        }
    }

    public readonly bool Has(KgEsEventFlags flag) => (Flags & flag) != 0;

    // A length beyond the buffer can only come from a broken shim: clamp rather than read past the struct.
    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> buffer, ushort length) => buffer[..Math.Min(length, buffer.Length)];
}
