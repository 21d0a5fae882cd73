using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    internal static unsafe partial nint SendTo(SafeHandle fd, byte* buffer, nint length, int flags, in SockaddrNl destination, int addressLength);
}
