using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

internal static partial class LibC
{
    [LibraryImport(Library, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(SafeHandle fd, out SockaddrNl address, ref int length);
}
