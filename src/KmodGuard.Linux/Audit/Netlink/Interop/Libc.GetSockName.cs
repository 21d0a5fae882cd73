using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(SafeHandle fd, out SockaddrNl address, ref int length);
}
