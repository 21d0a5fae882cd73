using KmodGuard.Agent.Status;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Agent.Tests.Service;

/// <summary>
/// The binary under a fake systemd: NOTIFY_SOCKET and WATCHDOG_USEC as the service manager sets them. Uses
/// 'service-probe', the service plumbing without auditing, until 'run' composes the same pieces with the audit session.
/// </summary>
public sealed class ServiceProbeTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly NotifySocketListener _systemd;

    public ServiceProbeTests() => _systemd = new NotifySocketListener(_dir.File("notify"));

    public void Dispose()
    {
        _systemd.Dispose();
        _dir.Dispose();
    }

    private string Config(bool watch = true) => _dir.Write("kmodguard.yaml",
        $"policy:\n  path: policy.yaml\n  watch: {(watch ? "true" : "false")}\nstatus_socket: {_dir.File("run/status.sock")}\n");

    private AgentProcess Start(string config) => new(new Dictionary<string, string>
    {
        ["NOTIFY_SOCKET"] = _systemd.Path,
        ["WATCHDOG_USEC"] = "400000",
    }, "service-probe", "--config", config);

    [Fact]
    public void Ready_after_start_watchdog_while_running_stopping_on_sigterm()
    {
        _dir.Write("policy.yaml", "version: 1\nmode: enforce\ndefault: allow\nrules: []\n");
        using AgentProcess agent = Start(Config());
        string ready = _systemd.WaitFor("READY=1", Wait);
        Assert.Contains("STATUS=service probe (no auditing): policy sha256 ", ready, StringComparison.Ordinal);
        _systemd.WaitFor("WATCHDOG=1", Wait);

        StatusAnswer status = StatusClient.Query(_dir.File("run/status.sock"), TimeSpan.FromSeconds(5));
        Assert.Equal(StatusAnswerKind.Running, status.Kind);
        Assert.Equal(agent.Pid, status.Snapshot!.Pid);
        Assert.Equal(_dir.File("policy.yaml"), status.Snapshot.Policy.Source);
        Assert.Equal("enforce", status.Snapshot.Policy.Mode);

        agent.Signal("TERM");
        _systemd.WaitFor("STOPPING=1", Wait);
        Assert.Equal(0, agent.WaitForExit(Wait));
        Assert.False(File.Exists(_dir.File("run/status.sock")));
    }

    [Fact]
    public void Sighup_reloads_the_policy_and_a_bad_one_is_an_error_that_keeps_it()
    {
        _dir.Write("policy.yaml", "version: 1\nmode: monitor\ndefault: allow\nrules: []\n");
        using AgentProcess agent = Start(Config(watch: false));
        _systemd.WaitFor("READY=1", Wait);

        File.WriteAllText(_dir.File("policy.yaml"), "version: 1\nmode: enforce\ndefault: allow\nrules:\n  - id: r\n    action: deny\n");
        agent.Signal("HUP");
        Assert.Matches("policy reloaded \\(SIGHUP\\) from .*: sha256 [0-9a-f]{16}, 1 rule, mode enforce", agent.WaitForLine("policy reloaded", Wait));

        File.WriteAllText(_dir.File("policy.yaml"), "version: 1\nmode: enforce\n");
        agent.Signal("HUP");
        string error = agent.WaitForLine("rejected", Wait);
        Assert.Contains("error: policy reload", error, StringComparison.Ordinal);
        Assert.Contains("keeping the running policy", error, StringComparison.Ordinal);
        Assert.Contains($"{_dir.File("policy.yaml")}:1:1: missing required key 'default'", error, StringComparison.Ordinal);
        Assert.Equal("enforce", StatusClient.Query(_dir.File("run/status.sock"), TimeSpan.FromSeconds(5)).Snapshot!.Policy.Mode);

        agent.Signal("TERM");
        Assert.Equal(0, agent.WaitForExit(Wait));
    }

    [Fact]
    public void A_bad_configuration_refuses_to_start_with_a_located_message_and_never_reports_ready()
    {
        string config = _dir.Write("kmodguard.yaml", "audit:\n  mode: everything\n");
        using AgentProcess agent = Start(config);
        Assert.Equal(2, agent.WaitForExit(Wait));
        Assert.Contains($"{config}:2:9: 'audit.mode' must be one of auto, unicast, multicast; got 'everything'", agent.Journal);
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void A_bad_policy_at_start_refuses_to_start()
    {
        _dir.Write("policy.yaml", "version: 2\nmode: enforce\ndefault: allow\nrules: []\n");
        using AgentProcess agent = Start(Config());
        Assert.Equal(2, agent.WaitForExit(Wait));
        Assert.Contains($"{_dir.File("policy.yaml")}:1:10: unsupported policy version 2; expected 1", agent.Journal);
        Assert.Null(_systemd.Receive(TimeSpan.FromMilliseconds(200)));
    }
}
