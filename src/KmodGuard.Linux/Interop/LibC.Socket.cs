using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

internal static partial class LibC
{
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);
}
