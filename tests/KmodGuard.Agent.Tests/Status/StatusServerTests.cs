using System.Diagnostics;
using System.Net.Sockets;
using KmodGuard.Agent.Status;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Agent.Tests.Status;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StatusServerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly TempDirectory _dir = new();
    private readonly List<string> _errors = [];

    public void Dispose() => _dir.Dispose();

    private string SocketPath => _dir.File("run/status.sock");

    private StatusServer Serve(IStatusSource? source = null) =>
        StatusServer.Start(SocketPath, source ?? new SampleStatus(), e => { lock (_errors) { _errors.Add(e); } });

    [Fact]
    public void A_client_gets_the_snapshot_the_agent_fills()
    {
        using StatusServer server = Serve();
        StatusAnswer a = StatusClient.Query(SocketPath, Timeout);
        Assert.Equal(StatusAnswerKind.Running, a.Kind);
        Assert.Equal(SampleStatus.Snapshot1, a.Snapshot);
    }

    [Fact]
    public void The_socket_is_root_only_in_a_private_directory()
    {
        using StatusServer server = Serve();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(SocketPath)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [SkippableFact]
    public void A_non_root_peer_is_hung_up_on_even_if_it_gets_through_the_permissions()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "needs root to run a client as another user");
        Skip.IfNot(File.Exists("/usr/bin/setpriv"), "needs setpriv (util-linux) to run a client as nobody");
        using StatusServer server = Serve();
        // Open the way on purpose: the uid check must hold on its own.
        File.SetUnixFileMode(Path.GetDirectoryName(SocketPath)!, (UnixFileMode)0x1ff);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1ff);
        File.SetUnixFileMode(SocketPath, (UnixFileMode)0x1b6);
        using var build = new CopyForOtherUsers(AppContext.BaseDirectory);
        string kmodguard = build.Of("kmodguard");
        var psi = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", kmodguard, "status", "--socket", SocketPath })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Environment.ProcessPath!);
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("closed the connection without answering", output, StringComparison.Ordinal);
        Assert.Equal(1, server.Refused);
    }

    [Fact]
    public void A_stale_socket_from_a_crashed_agent_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Bound, never listening: what a crashed agent leaves behind (.NET would unlink it on Dispose).
        using var crashed = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        crashed.Bind(new UnixDomainSocketEndPoint(SocketPath));
        Assert.True(File.Exists(SocketPath));
        Assert.Equal(StatusAnswerKind.NotRunning, StatusClient.Query(SocketPath, Timeout).Kind);
        using StatusServer server = Serve();
        Assert.Equal(StatusAnswerKind.Running, StatusClient.Query(SocketPath, Timeout).Kind);
    }

    [Fact]
    public void A_second_agent_does_not_steal_the_socket_of_a_running_one()
    {
        using StatusServer first = Serve();
        StatusSocketException e = Assert.Throws<StatusSocketException>(() => Serve());
        Assert.Equal($"another kmodguard agent is already serving {SocketPath}", e.Message);
        Assert.Equal(StatusAnswerKind.Running, StatusClient.Query(SocketPath, Timeout).Kind);
    }

    [Fact]
    public void A_directory_other_users_can_enter_is_refused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        File.SetUnixFileMode(Path.GetDirectoryName(SocketPath)!, (UnixFileMode)0x1ed); // 0755
        StatusSocketException e = Assert.Throws<StatusSocketException>(() => Serve());
        Assert.Contains("is accessible to other users (755)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_removes_the_socket()
    {
        Serve().Dispose();
        Assert.False(File.Exists(SocketPath));
        Assert.Equal(StatusAnswerKind.NotRunning, StatusClient.Query(SocketPath, Timeout).Kind);
    }

    [Fact]
    public void A_failing_status_source_is_reported_and_the_server_keeps_serving()
    {
        int call = 0;
        using StatusServer server = Serve(new SampleStatus(() => ++call == 1 ? throw new InvalidOperationException("counter gone") : SampleStatus.Snapshot1));
        StatusAnswer broken = StatusClient.Query(SocketPath, Timeout);
        Assert.Equal(StatusAnswerKind.Unknown, broken.Kind);
        Assert.Equal(StatusAnswerKind.Running, StatusClient.Query(SocketPath, Timeout).Kind);
        lock (_errors)
        {
            Assert.Contains(_errors, e => e.EndsWith("building the status failed: InvalidOperationException: counter gone", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Clients_that_connect_and_vanish_do_not_stop_the_server()
    {
        using StatusServer server = Serve();
        for (int i = 0; i < 50; i++)
        {
            using var rude = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            rude.Connect(new UnixDomainSocketEndPoint(SocketPath));
            try
            {
                rude.Send("garbage that nobody reads\n"u8);
            }
            catch (SocketException)
            {
                // The server may have answered and hung up already.
            }
        }

        Assert.Equal(StatusAnswerKind.Running, StatusClient.Query(SocketPath, Timeout).Kind);
    }
}
