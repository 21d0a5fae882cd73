using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeHandle fd, in SockaddrNl address, int length);
}
