using System.Buffers.Binary;

namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>struct nlmsghdr, in host (little-endian) byte order.</summary>
internal readonly record struct NetlinkHeader(uint Length, ushort Type, ushort Flags, uint Sequence, uint PortId)
{
    public static bool TryRead(ReadOnlySpan<byte> buffer, out NetlinkHeader header)
    {
        if (buffer.Length < NetlinkConstants.HeaderLength)
        {
            header = default;
            return false;
        }

        header = new NetlinkHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(buffer),
            BinaryPrimitives.ReadUInt16LittleEndian(buffer[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(buffer[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[12..]));
        return true;
    }

    public void Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], PortId);
    }
}
