namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>The only way to the kernel's audit subsystem: send a message, receive a datagram.</summary>
internal interface INetlinkSocket : IDisposable
{
    uint PortId { get; }

    uint NextSequence();

    void Send(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (-1: forever) for one datagram from the kernel.</summary>
    ReceiveResult Receive(Span<byte> buffer, int timeoutMilliseconds);
}

/// <summary>A datagram's length, or why there is none.</summary>
internal readonly record struct ReceiveResult(int Length)
{
    /// <summary>Nothing arrived before the timeout.</summary>
    public static ReceiveResult Timeout { get; } = new(-1);

    /// <summary>ENOBUFS: the socket's receive queue overflowed and datagrams were lost.</summary>
    public static ReceiveResult Overflow { get; } = new(-2);

    public bool IsTimeout => Length == -1;

    public bool IsOverflow => Length == -2;
}
