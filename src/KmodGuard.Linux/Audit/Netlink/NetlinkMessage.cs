namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>One message of a received datagram: its header and payload (a view into the receive buffer).</summary>
internal readonly ref struct NetlinkMessage(NetlinkHeader header, ReadOnlySpan<byte> payload)
{
    public NetlinkHeader Header { get; } = header;
    public ReadOnlySpan<byte> Payload { get; } = payload;
}
