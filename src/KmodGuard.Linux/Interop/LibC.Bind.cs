using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

internal static partial class LibC
{
    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeHandle fd, in SockaddrNl address, int length);
}
