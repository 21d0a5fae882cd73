using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);
}
