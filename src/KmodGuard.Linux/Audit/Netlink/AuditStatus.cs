using System.Buffers.Binary;

namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>struct audit_status (include/uapi/linux/audit.h). Older kernels send a shorter struct; missing fields read 0.</summary>
internal readonly record struct AuditStatus(
    uint Mask,
    uint Enabled,
    uint Failure,
    uint Pid,
    uint RateLimit,
    uint BacklogLimit,
    uint Lost,
    uint Backlog,
    uint FeatureBitmap,
    uint BacklogWaitTime,
    uint BacklogWaitTimeActual)
{
    public const int Size = 11 * 4;

    public const uint MaskEnabled = 0x1;
    public const uint MaskFailure = 0x2;
    public const uint MaskPid = 0x4;
    public const uint MaskRateLimit = 0x8;
    public const uint MaskBacklogLimit = 0x10;
    public const uint MaskBacklogWaitTime = 0x20;
    public const uint MaskLost = 0x40;

    public const uint FeatureBacklogWaitTime = 0x2;

    /// <summary>enabled == 2: the configuration is immutable until reboot (auditctl -e 2).</summary>
    public bool Locked => Enabled == 2;

    public bool SupportsBacklogWaitTime => (FeatureBitmap & FeatureBacklogWaitTime) != 0;

    public static AuditStatus Read(ReadOnlySpan<byte> payload)
    {
        Span<uint> f = stackalloc uint[11];
        for (int i = 0; i < f.Length && (i * 4) + 4 <= payload.Length; i++)
        {
            f[i] = BinaryPrimitives.ReadUInt32LittleEndian(payload[(i * 4)..]);
        }

        return new AuditStatus(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        uint[] f = [Mask, Enabled, Failure, Pid, RateLimit, BacklogLimit, Lost, Backlog, FeatureBitmap, BacklogWaitTime, BacklogWaitTimeActual];
        for (int i = 0; i < f.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), f[i]);
        }

        return bytes;
    }
}
