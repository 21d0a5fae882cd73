using System.Runtime.InteropServices;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// An open /dev/kmsg, non-blocking: each read(2) returns one whole record, EAGAIN at the end of the ring buffer,
/// EPIPE when the kernel overwrote records before they were read (the next read goes on with the oldest left).
/// </summary>
internal sealed class KmsgDevice : IDisposable
{
    public const string DefaultPath = "/dev/kmsg";

    /// <summary>Larger than any record the kernel hands out (CONSOLE_EXT_LOG_MAX is 8 KiB).</summary>
    private const int RecordBufferSize = 8192;

    private readonly byte[] _buffer = new byte[RecordBufferSize];

    private KmsgDevice(int fd) => Fd = fd;

    public int Fd { get; }

    /// <summary>Records the ring buffer overwrote before they could be read.</summary>
    public long Overwritten { get; private set; }

    /// <exception cref="IOException">The log cannot be opened (no /dev/kmsg, no permission); the message says which.</exception>
    public static KmsgDevice Open(string path, bool fromStart)
    {
        int fd = LibC.Open(path, LibC.ORdOnly | LibC.ONonBlock | LibC.OCloexec);
        if (fd < 0)
        {
            throw new IOException($"{path}: cannot open the kernel log ({Errno.Name(Marshal.GetLastPInvokeError())})");
        }

        if (!fromStart)
        {
            LibC.Lseek(fd, 0, LibC.SeekEnd);
        }

        return new KmsgDevice(fd);
    }

    /// <summary>Reads the next record: its bytes, or empty with <paramref name="errno"/> EAGAIN at the end, another errno on failure.</summary>
    public unsafe ReadOnlySpan<byte> Read(out int errno)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = _buffer)
            {
                n = LibC.Read(Fd, p, _buffer.Length);
            }

            if (n > 0)
            {
                errno = 0;
                return _buffer.AsSpan(0, (int)n);
            }

            // 0 bytes: nothing more (only a regular file does that); otherwise the kernel's errno.
            errno = n == 0 ? Errno.EAGAIN : Marshal.GetLastPInvokeError();
            if (errno == Errno.EPIPE)
            {
                Overwritten++;
            }
            else if (errno != Errno.EINTR)
            {
                return default;
            }
        }
    }

    public void Dispose() => LibC.Close(Fd);
}
