using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    internal static unsafe partial nint RecvFrom(SafeHandle fd, byte* buffer, nint length, int flags, out SockaddrNl source, ref int addressLength);
}
