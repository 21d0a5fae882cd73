using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

/// <summary>The libc calls the audit netlink client needs. One declaration per file (Libc.*.cs).</summary>
internal static partial class Libc
{
    internal const string Library = "libc";

    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_AUDIT = 9;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int MSG_DONTWAIT = 0x40;
    internal const short POLLIN = 0x001;

    /// <summary>struct sockaddr_nl.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
