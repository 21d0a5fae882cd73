using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// Follows /dev/kmsg directly (no syslog daemon, no journal): each read(2) returns one record. Runs on its own thread;
/// a poll timeout lets <see cref="Dispose"/> stop it promptly. Records the ring buffer overwrote before they were read
/// (EPIPE) are counted in <see cref="Overwritten"/>, malformed ones in <see cref="Malformed"/>; neither stops it.
/// </summary>
internal sealed class KmsgFollower : IDisposable
{
    public const string DefaultPath = "/dev/kmsg";

    /// <summary>Larger than any record the kernel hands out (CONSOLE_EXT_LOG_MAX is 8 KiB).</summary>
    private const int RecordBufferSize = 8192;
    private const int PollMilliseconds = 200;

    private readonly int _fd;
    private readonly Action<KmsgRecord> _onRecord;
    private readonly Action<string>? _onError;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private KmsgFollower(int fd, Action<KmsgRecord> onRecord, Action<string>? onError)
    {
        _fd = fd;
        _onRecord = onRecord;
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = "kmodguard-kmsg" };
    }

    public long Overwritten { get; private set; }

    public long Malformed { get; private set; }

    /// <summary>Wall-clock time of boot, to turn record timestamps (time since boot) into event times.</summary>
    /// <remarks>Stopwatch counts CLOCK_MONOTONIC, which starts at boot, as the kernel log's clock does (to within a suspend).</remarks>
    public static DateTimeOffset BootTime => DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(0);

    /// <summary>Opens the log and starts following it.</summary>
    /// <param name="fromStart">Replay what the ring buffer still holds first (at agent start), or only new records.</param>
    /// <exception cref="IOException">The log cannot be opened (no /dev/kmsg, no permission); the message says which.</exception>
    public static KmsgFollower Start(Action<KmsgRecord> onRecord, bool fromStart, string path = DefaultPath, Action<string>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        int fd = LibC.Open(path, LibC.ORdOnly | LibC.ONonBlock | LibC.OCloexec);
        if (fd < 0)
        {
            throw new IOException($"{path}: cannot open the kernel log ({Errno.Name(Marshal.GetLastPInvokeError())})");
        }

        if (!fromStart)
        {
            LibC.Lseek(fd, 0, LibC.SeekEnd);
        }

        var follower = new KmsgFollower(fd, onRecord, onError);
        follower._thread.Start();
        return follower;
    }

    public void Dispose()
    {
        _stopping = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        LibC.Close(_fd);
    }

    private unsafe void Run()
    {
        byte[] buffer = new byte[RecordBufferSize];
        var poll = new LibC.PollFd { Fd = _fd, Events = LibC.PollIn };
        while (!_stopping)
        {
            if (LibC.Poll(&poll, 1, PollMilliseconds) <= 0)
            {
                continue;
            }

            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Read(_fd, p, buffer.Length);
            }

            if (n > 0)
            {
                Deliver(buffer.AsSpan(0, (int)n));
                continue;
            }

            int errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            switch (errno)
            {
                case Errno.EAGAIN or Errno.EINTR:
                    continue;
                case Errno.EPIPE:
                    // The ring buffer wrapped past our position; the next read continues with the oldest record left.
                    Overwritten++;
                    continue;
                default:
                    _onError?.Invoke($"reading the kernel log stopped: {(n == 0 ? "end of file" : Errno.Name(errno))}");
                    return;
            }
        }
    }

    private void Deliver(ReadOnlySpan<byte> data)
    {
        if (KmsgParser.TryParse(data, out KmsgRecord? record, out string? error))
        {
            _onRecord(record);
        }
        else
        {
            Malformed++;
            _onError?.Invoke($"malformed kernel log record: {error}");
        }
    }
}
