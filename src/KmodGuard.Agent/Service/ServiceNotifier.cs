using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace KmodGuard.Agent.Service;

/// <summary>
/// Tells systemd how the service is doing (sd_notify: one datagram to $NOTIFY_SOCKET): READY=1 once the agent
/// guards (rules installed), WATCHDOG=1 from the event loop, STOPPING=1 on the way out. Outside systemd (no
/// NOTIFY_SOCKET) every call does nothing. Failures to send are swallowed: systemd's view must never stop the agent.
/// </summary>
/// <remarks>
/// Written out instead of Microsoft.Extensions.Hosting.Systemd: its lifetime sends READY=1 when the host has started,
/// not when our rules are in, never pings the watchdog, and 10.0's detection of systemd looks at the parent's comm.
/// </remarks>
internal sealed class ServiceNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly long _watchdogPeriodTicks;
    private long _lastPing;

    private ServiceNotifier(string? socketPath, TimeSpan? watchdogTimeout)
    {
        if (!string.IsNullOrEmpty(socketPath) && (socketPath[0] is '/' or '@'))
        {
            // A leading '@' names a socket in the abstract namespace, written with a NUL byte.
            _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }

        if (_socket is not null && watchdogTimeout is { } timeout)
        {
            // Ping at half the timeout, as sd_watchdog_enabled(3) advises.
            WatchdogPeriod = timeout / 2;
            _watchdogPeriodTicks = (long)(WatchdogPeriod.Value.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>Whether systemd listens (NOTIFY_SOCKET is set).</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>How often <see cref="Watchdog"/> actually sends; null without a watchdog. Event-loop waits must be shorter.</summary>
    public TimeSpan? WatchdogPeriod { get; }

    /// <summary>From the environment systemd gives the service.</summary>
    public static ServiceNotifier FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable, Environment.ProcessId);

    internal static ServiceNotifier FromVariables(Func<string, string?> variable, int pid)
    {
        ArgumentNullException.ThrowIfNull(variable);
        TimeSpan? watchdog = null;
        string? watchdogPid = variable(WatchdogPidVariable);
        if (ulong.TryParse(variable(WatchdogUsecVariable), NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) && usec > 0
            && (string.IsNullOrEmpty(watchdogPid) || watchdogPid == pid.ToString(CultureInfo.InvariantCulture)))
        {
            watchdog = TimeSpan.FromMicroseconds(usec);
        }

        return new ServiceNotifier(variable(SocketVariable), watchdog);
    }

    /// <summary>The agent guards now: rules installed, policy in force. <paramref name="status"/> shows in systemctl status.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    public void Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>Cheap enough to call on every event-loop turn: sends WATCHDOG=1 at most once per <see cref="WatchdogPeriod"/>.</summary>
    public void Watchdog()
    {
        if (_watchdogPeriodTicks == 0)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        long last = Volatile.Read(ref _lastPing);
        if (now - last >= _watchdogPeriodTicks && Interlocked.CompareExchange(ref _lastPing, now, last) == last)
        {
            Send("WATCHDOG=1");
        }
    }

    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={OneLine(status)}");

    public void Dispose() => _socket?.Dispose();

    private void Send(string message)
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _endpoint!);
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use; the agent carries on.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
