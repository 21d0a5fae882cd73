using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

internal static partial class LibC
{
    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    internal static unsafe partial nint RecvFrom(SafeHandle fd, byte* buffer, nint length, int flags, out SockaddrNl source, ref int addressLength);
}
