using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Audit.Netlink.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
