using Microsoft.Win32.SafeHandles;
using Mono.Unix;
using Mono.Unix.Native;

namespace KmodGuard.Linux.Modules;

/// <summary>Opens and reads module files defensively: a hostile path may name a FIFO, a device or a file that changes.</summary>
internal static class ModuleFile
{
    /// <summary>
    /// Opens read-only without blocking (a FIFO must not wait for a writer) and without becoming a controlling tty.
    /// Works on /proc/PID/fd/N links, which reach deleted files and files in other mount namespaces.
    /// </summary>
    public static SafeFileHandle Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC | OpenFlags.O_NOCTTY);
        if (fd < 0)
        {
            Mono.Unix.Native.Errno errno = Stdlib.GetLastError();
            string message = $"{path}: {UnixMarshal.GetErrorDescription(errno)}";
            throw errno is Mono.Unix.Native.Errno.EACCES or Mono.Unix.Native.Errno.EPERM ? new UnauthorizedAccessException(message) : new IOException(message);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static long Length(SafeFileHandle file) => RandomAccess.GetLength(file);

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes, then checks nothing follows: a file that grows while being read,
    /// or a device that reports size 0 and reads forever, is an error rather than a silently wrong hash.
    /// Pipes and sockets throw <see cref="NotSupportedException"/> (they cannot be read at an offset).
    /// </summary>
    public static byte[] ReadAll(SafeFileHandle file, int length, CancellationToken cancellation)
    {
        const int Chunk = 1 << 20;
        byte[] content = GC.AllocateUninitializedArray<byte>(length);
        int done = 0;
        while (done < length)
        {
            cancellation.ThrowIfCancellationRequested();
            int read = RandomAccess.Read(file, content.AsSpan(done, Math.Min(Chunk, length - done)), done);
            if (read == 0)
            {
                throw new IOException($"file shrank while being read ({done} of {length} bytes)");
            }

            done += read;
        }

        Span<byte> probe = stackalloc byte[1];
        if (RandomAccess.Read(file, probe, length) != 0)
        {
            throw new IOException($"file is longer than its reported size {length} (growing, or not a regular file)");
        }

        return content;
    }
}
