using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>
/// The one loop that owns the data socket: receives datagrams on a dedicated thread, hands each record to the
/// handler in arrival order, counts receive-queue overflows (ENOBUFS) and malformed datagrams, and calls
/// <c>onIdle</c> at least every <see cref="TickMilliseconds"/> so time-based work (reassembly timeouts) runs
/// even when nothing arrives.
/// </summary>
internal sealed class AuditRecordReader(INetlinkSocket socket, AuditRecordHandler onRecord, Action onIdle)
{
    public const int TickMilliseconds = 100;

    private readonly byte[] _buffer = new byte[NetlinkConstants.MaxMessageLength * 2];
    private long _overflows;
    private long _malformed;
    private long _handlerFailures;

    /// <summary>Records whose handling threw: the record is counted and reading goes on.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Raised on the reader thread when handling a record threw.</summary>
    public event Action<Exception>? HandlerFailed;

    /// <summary>Raised on the reader thread after each overflow, with the running count.</summary>
    public event Action<long>? Overflowed;

    /// <summary>Raised on the reader thread after each datagram whose netlink framing was broken (the records before
    /// the break were handled), with the running count.</summary>
    public event Action<long>? MalformedDatagram;

    public Task RunAsync(CancellationToken stop) =>
        Task.Factory.StartNew(() => Run(stop), stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stop)
    {
        long lastIdle = Environment.TickCount64;
        while (!stop.IsCancellationRequested)
        {
            ReceiveResult r = socket.Receive(_buffer, TickMilliseconds);
            if (r.IsOverflow)
            {
                Overflowed?.Invoke(Interlocked.Increment(ref _overflows));
            }
            else if (!r.IsTimeout)
            {
                Dispatch(_buffer.AsSpan(0, r.Length));
            }

            long now = Environment.TickCount64;
            if (r.IsTimeout || now - lastIdle >= TickMilliseconds)
            {
                lastIdle = now;
                onIdle();
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram)
    {
        var messages = new NetlinkDatagram(datagram);
        while (messages.TryNext(out NetlinkMessage m))
        {
            if (NetlinkConstants.IsRecord(m.Header.Type))
            {
                try
                {
                    onRecord(m.Header.Type, m.Payload);
                }
#pragma warning disable CA1031 // The one loop that reads the kernel must outlive any failure downstream of it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _handlerFailures);
                    HandlerFailed?.Invoke(e);
                }
            }
        }

        if (messages.Malformed)
        {
            MalformedDatagram?.Invoke(++_malformed); // only the reader thread counts
        }
    }
}
