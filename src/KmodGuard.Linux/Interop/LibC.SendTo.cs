using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

internal static partial class LibC
{
    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    internal static unsafe partial nint SendTo(SafeHandle fd, byte* buffer, nint length, int flags, in SockaddrNl destination, int addressLength);
}
