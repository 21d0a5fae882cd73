using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

/// <summary>The netlink socket calls of the audit client (socket, bind, sendto, recvfrom, ...; one per file,
/// Interop/LibC.*.cs); poll and close are shared with the rest of the back-end (LibC.cs).</summary>
internal static partial class LibC
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_AUDIT = 9;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int MSG_DONTWAIT = 0x40;

    /// <summary>struct sockaddr_nl.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }
}
