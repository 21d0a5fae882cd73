using System.Runtime.InteropServices;

namespace KmodGuard.Linux;

/// <summary>
/// The libc calls the enforcement and kernel-log code need. Each returns -1 and leaves errno
/// (<see cref="Marshal.GetLastPInvokeError"/>) on failure, exactly as the syscall does.
/// </summary>
internal static partial class LibC
{
    private const string Library = "libc";

    public const int ONonBlock = 0x800;
    public const int OCloexec = 0x80000;
    public const int ORdOnly = 0;
    public const int SeekEnd = 2;
    public const short PollIn = 0x1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>delete_module(2): glibc's export is the bare syscall, with no per-architecture numbers to keep.</summary>
    [LibraryImport(Library, EntryPoint = "delete_module", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DeleteModule(string name, int flags);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
