using KmodGuard.Agent.Service;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Agent.Tests.Service;

public sealed class ServiceNotifierTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private readonly TempDirectory _dir = new();
    private readonly NotifySocketListener _systemd;

    public ServiceNotifierTests() => _systemd = new NotifySocketListener(_dir.File("notify"));

    public void Dispose()
    {
        _systemd.Dispose();
        _dir.Dispose();
    }

    private ServiceNotifier Notifier(string? watchdogUsec = null, string? watchdogPid = null, string? socket = null) =>
        ServiceNotifier.FromVariables(name => name switch
        {
            "NOTIFY_SOCKET" => socket ?? _systemd.Path,
            "WATCHDOG_USEC" => watchdogUsec,
            "WATCHDOG_PID" => watchdogPid,
            _ => null,
        }, Environment.ProcessId);

    [Fact]
    public void Ready_status_and_stopping_reach_the_notify_socket()
    {
        using ServiceNotifier n = Notifier();
        Assert.True(n.IsEnabled);
        n.Ready("guarding: 2 rules\ninstalled");
        Assert.Equal("READY=1\nSTATUS=guarding: 2 rules installed", _systemd.Receive(Wait));
        n.Status("reloading");
        Assert.Equal("STATUS=reloading", _systemd.Receive(Wait));
        n.Stopping("removing rules");
        Assert.Equal("STOPPING=1\nSTATUS=removing rules", _systemd.Receive(Wait));
    }

    [Fact]
    public void Watchdog_pings_at_half_the_timeout_however_often_it_is_called()
    {
        using ServiceNotifier n = Notifier(watchdogUsec: "2000000");
        Assert.Equal(TimeSpan.FromSeconds(1), n.WatchdogPeriod);
        for (int i = 0; i < 10_000; i++)
        {
            n.Watchdog();
        }

        Assert.Equal("WATCHDOG=1", _systemd.Receive(Wait));
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(300)));

        Thread.Sleep(TimeSpan.FromSeconds(1));
        n.Watchdog();
        n.Watchdog();
        Assert.Equal("WATCHDOG=1", _systemd.Receive(Wait));
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void A_watchdog_meant_for_another_process_is_not_ours_to_ping()
    {
        using ServiceNotifier n = Notifier(watchdogUsec: "200000", watchdogPid: "1");
        Assert.Null(n.WatchdogPeriod);
        n.Watchdog();
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Outside_systemd_every_call_is_a_no_op()
    {
        using ServiceNotifier n = ServiceNotifier.FromVariables(_ => null, Environment.ProcessId);
        Assert.False(n.IsEnabled);
        n.Ready("x");
        n.Watchdog();
        n.Stopping("x");
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void A_vanished_or_bogus_notify_socket_never_throws()
    {
        using (ServiceNotifier gone = Notifier(socket: _dir.File("nobody-listens")))
        {
            gone.Ready("x");
        }

        using ServiceNotifier bogus = Notifier(socket: "relative/path");
        Assert.False(bogus.IsEnabled);
        bogus.Ready("x");
    }

    [Fact]
    public void An_abstract_notify_socket_is_reached_by_its_at_sign_name()
    {
        string name = $"kmodguard-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint("\0" + name));
        listener.ReceiveTimeout = 2000;
        using ServiceNotifier n = Notifier(socket: "@" + name);
        n.Ready("abstract");
        byte[] buffer = new byte[256];
        int length = listener.Receive(buffer);
        Assert.Equal("READY=1\nSTATUS=abstract", System.Text.Encoding.UTF8.GetString(buffer, 0, length));
    }
}
