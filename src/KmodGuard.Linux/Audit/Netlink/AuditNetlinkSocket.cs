using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>
/// A NETLINK_AUDIT socket: raw datagrams in and out, nothing audit-specific beyond the protocol number.
/// Receives only from the kernel (port id 0); anything else is dropped and counted as spoofed.
/// </summary>
internal sealed class AuditNetlinkSocket : INetlinkSocket
{
    private readonly SafeNetlinkHandle _handle;
    private uint _sequence;

    private AuditNetlinkSocket(SafeNetlinkHandle handle, uint portId)
    {
        _handle = handle;
        PortId = portId;
    }

    /// <summary>The port id the kernel assigned to this socket.</summary>
    public uint PortId { get; }

    public long SpoofedDatagrams { get; private set; }

    /// <summary>Opens a socket; with <paramref name="groups"/> = <see cref="NetlinkConstants.ReadLogGroup"/> it joins the read-log multicast group.</summary>
    public static AuditNetlinkSocket Open(uint groups = 0, int receiveBufferBytes = 0)
    {
        int fd = LibC.Socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_AUDIT);
        if (fd < 0)
        {
            throw new AuditNetlinkException("socket(AF_NETLINK, NETLINK_AUDIT)", Marshal.GetLastPInvokeError());
        }

        var handle = new SafeNetlinkHandle(fd);
        try
        {
            if (receiveBufferBytes > 0)
            {
                // SO_RCVBUFFORCE passes rmem_max when we have CAP_NET_ADMIN; otherwise take what SO_RCVBUF gives.
                if (LibC.SetSockOpt(handle, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, receiveBufferBytes, sizeof(int)) != 0)
                {
                    _ = LibC.SetSockOpt(handle, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferBytes, sizeof(int));
                }
            }

            var address = new LibC.SockaddrNl { Family = LibC.AF_NETLINK, Groups = groups };
            if (LibC.Bind(handle, address, Marshal.SizeOf<LibC.SockaddrNl>()) != 0)
            {
                throw new AuditNetlinkException(groups == 0 ? "bind(NETLINK_AUDIT)" : "bind(NETLINK_AUDIT, read-log multicast group)", Marshal.GetLastPInvokeError());
            }

            int length = Marshal.SizeOf<LibC.SockaddrNl>();
            if (LibC.GetSockName(handle, out LibC.SockaddrNl bound, ref length) != 0)
            {
                throw new AuditNetlinkException("getsockname", Marshal.GetLastPInvokeError());
            }

            return new AuditNetlinkSocket(handle, bound.PortId);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The receive buffer the kernel actually granted, in bytes.</summary>
    public int ReceiveBufferBytes
    {
        get
        {
            int length = sizeof(int);
            return LibC.GetSockOpt(_handle, LibC.SOL_SOCKET, LibC.SO_RCVBUF, out int value, ref length) == 0 ? value : -1;
        }
    }

    public uint NextSequence() => Interlocked.Increment(ref _sequence);

    public unsafe void Send(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        int length = NetlinkConstants.HeaderLength + payload.Length;
        Span<byte> buffer = length <= 2048 ? stackalloc byte[(length + 3) & ~3] : new byte[(length + 3) & ~3];
        buffer.Clear();
        new NetlinkHeader((uint)length, type, flags, sequence, 0).Write(buffer);
        payload.CopyTo(buffer[NetlinkConstants.HeaderLength..]);
        var kernel = new LibC.SockaddrNl { Family = LibC.AF_NETLINK };
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint sent = LibC.SendTo(_handle, p, length, 0, kernel, sizeof(LibC.SockaddrNl));
                if (sent >= 0)
                {
                    return;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new AuditNetlinkException($"sendto(type {type})", errno);
                }
            }
        }
    }

    public unsafe ReceiveResult Receive(Span<byte> buffer, int timeoutMilliseconds)
    {
        bool addRef = false;
        _handle.DangerousAddRef(ref addRef);
        try
        {
            var pfd = new LibC.PollFd { Fd = (int)_handle.DangerousGetHandle(), Events = LibC.PollIn };
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    // Read first, wait only when there is nothing: under load the queue is rarely empty, and a poll
                    // before every datagram would double the system calls.
                    int addressLength = sizeof(LibC.SockaddrNl);
                    nint received = LibC.RecvFrom(_handle, p, buffer.Length, LibC.MSG_DONTWAIT, out LibC.SockaddrNl from, ref addressLength);
                    if (received >= 0)
                    {
                        if (from.PortId != 0)
                        {
                            SpoofedDatagrams++;
                            continue;
                        }

                        return new ReceiveResult((int)received);
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    switch (errno)
                    {
                        case Errno.EINTR:
                            continue;
                        case Errno.ENOBUFS:
                            return ReceiveResult.Overflow;
                        case not Errno.EAGAIN:
                            throw new AuditNetlinkException("recvfrom(NETLINK_AUDIT)", errno);
                    }

                    int ready = LibC.Poll(&pfd, 1, timeoutMilliseconds);
                    if (ready == 0)
                    {
                        return ReceiveResult.Timeout;
                    }

                    if (ready < 0 && Marshal.GetLastPInvokeError() is int pollErrno && pollErrno != Errno.EINTR)
                    {
                        throw new AuditNetlinkException("poll(NETLINK_AUDIT)", pollErrno);
                    }
                }
            }
        }
        finally
        {
            if (addRef)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
