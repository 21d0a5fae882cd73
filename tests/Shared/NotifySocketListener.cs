using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// Plays systemd's side of sd_notify: a datagram socket to hand a process as NOTIFY_SOCKET, collecting what it sends
/// (READY=1, WATCHDOG=1, STOPPING=1 ...). Shared by the service tests and the start-to-READY benchmark.
/// </summary>
internal sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _received = [];

    public NotifySocketListener(string path)
    {
        Path = path;
        File.Delete(path);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>The next message, or null when none arrives within <paramref name="timeout"/>.</summary>
    public string? Receive(TimeSpan timeout)
    {
        _socket.ReceiveTimeout = Math.Max(1, (int)timeout.TotalMilliseconds);
        byte[] buffer = new byte[4096];
        try
        {
            int n = _socket.Receive(buffer);
            string message = Encoding.UTF8.GetString(buffer, 0, n);
            _received.Add(message);
            return message;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return null;
        }
    }

    /// <summary>Waits for a message with the line <paramref name="line"/> (e.g. READY=1); throws with what did arrive.</summary>
    public string WaitFor(string line, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            string? message = Receive(timeout - clock.Elapsed);
            if (message is not null && message.Split('\n').Contains(line))
            {
                return message;
            }
        }

        throw new TimeoutException($"no {line} within {timeout.TotalSeconds:0.#} s; received: [{string.Join(" | ", _received)}]");
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
