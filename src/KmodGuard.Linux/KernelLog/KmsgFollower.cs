using System.Diagnostics;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// Follows /dev/kmsg directly (no syslog daemon, no journal) on its own thread; a poll timeout lets
/// <see cref="Dispose"/> stop it promptly. Malformed records are counted in <see cref="Malformed"/> and reported;
/// neither they nor overwritten records stop it.
/// </summary>
internal sealed class KmsgFollower : IDisposable
{
    private const int PollMilliseconds = 200;

    private readonly KmsgDevice _device;
    private readonly Action<KmsgRecord> _onRecord;
    private readonly Action<string>? _onError;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private KmsgFollower(KmsgDevice device, Action<KmsgRecord> onRecord, Action<string>? onError)
    {
        _device = device;
        _onRecord = onRecord;
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = "kmodguard-kmsg" };
    }

    public long Overwritten => _device.Overwritten;

    public long Malformed { get; private set; }

    /// <summary>Wall-clock time of boot, to turn record timestamps (time since boot) into event times.</summary>
    /// <remarks>Stopwatch counts CLOCK_MONOTONIC, which starts at boot, as the kernel log's clock does (to within a suspend).</remarks>
    public static DateTimeOffset BootTime => DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(0);

    /// <summary>Opens the log and starts following it.</summary>
    /// <param name="fromStart">Replay what the ring buffer still holds first (at agent start), or only new records.</param>
    /// <exception cref="IOException">The log cannot be opened (no /dev/kmsg, no permission); the message says which.</exception>
    public static KmsgFollower Start(Action<KmsgRecord> onRecord, bool fromStart, string path = KmsgDevice.DefaultPath, Action<string>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var follower = new KmsgFollower(KmsgDevice.Open(path, fromStart), onRecord, onError);
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

        _device.Dispose();
    }

    private unsafe void Run()
    {
        var poll = new LibC.PollFd { Fd = _device.Fd, Events = LibC.PollIn };
        while (!_stopping)
        {
            if (LibC.Poll(&poll, 1, PollMilliseconds) <= 0)
            {
                continue;
            }

            ReadOnlySpan<byte> data = _device.Read(out int errno);
            if (!data.IsEmpty)
            {
                Deliver(data);
            }
            else if (errno != Errno.EAGAIN)
            {
                _onError?.Invoke($"reading the kernel log stopped: {Errno.Name(errno)}");
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
