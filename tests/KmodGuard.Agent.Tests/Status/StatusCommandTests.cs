using System.Text.Json;
using KmodGuard.Agent.Status;

namespace KmodGuard.Agent.Tests.Status;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StatusCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SocketPath => _dir.File("run/status.sock");

    [Fact]
    public void A_running_agent_is_shown_for_humans()
    {
        using StatusServer server = StatusServer.Start(SocketPath, new SampleStatus(), _ => { });
        CliRunner.Result r = CliRunner.Run("status", "--socket", SocketPath);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            """
            kmodguard agent: running (pid 4242, version 0.1.0+abcdef123456, up 1h 30m)
              audit:      multicast (auditd owns the audit socket), 2 rules installed, kernel lost 7
              activity:   152 events, 152 decisions (3 denied)
            """.ReplaceLineEndings("\n"),
            string.Join("\n", r.Out.Split('\n').Take(3)));
        Assert.Contains("  policy:     /etc/kmodguard/policy.yaml, sha256 aaaaaaaaaaaaaaaa, 12 rules, mode enforce, loaded ", r.Out, StringComparison.Ordinal);
        Assert.Contains("  telemetry:  otlp http://collector:4317/, queue 5, export failures 1\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_agent_is_one_json_document_for_scripts()
    {
        using StatusServer server = StatusServer.Start(SocketPath, new SampleStatus(), _ => { });
        CliRunner.Result r = CliRunner.Run("status", "--json", "--socket", SocketPath);
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.Out);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("running").GetBoolean());
        JsonElement agent = root.GetProperty("agent");
        Assert.Equal(4242, agent.GetProperty("pid").GetInt32());
        Assert.Equal("multicast", agent.GetProperty("audit").GetProperty("mode").GetString());
        Assert.Equal(2, agent.GetProperty("audit").GetProperty("rules_installed").GetInt32());
        Assert.Equal(7, agent.GetProperty("audit").GetProperty("kernel_lost").GetInt64());
        Assert.Equal(152, agent.GetProperty("events").GetInt64());
        Assert.Equal(new string('a', 64), agent.GetProperty("policy").GetProperty("sha256").GetString());
        Assert.Equal(5, agent.GetProperty("telemetry").GetProperty("queue_depth").GetInt64());
        Assert.Equal(1, agent.GetProperty("telemetry").GetProperty("export_failures").GetInt64());
    }

    [SkippableFact]
    public void Without_an_agent_it_says_so_and_shows_the_kernels_audit_status()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "reading the kernel's audit status (AUDIT_GET) needs root");
        CliRunner.Result r = CliRunner.Run("status", "--socket", SocketPath);
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"kmodguard agent: not running: no agent is running ({SocketPath} does not exist)\n", r.Out, StringComparison.Ordinal);
        Skip.If(r.Out.Contains("kernel audit status: unavailable", StringComparison.Ordinal), "this kernel's audit subsystem is not usable here: " + r.Out);
        Assert.Contains("kernel audit status:\n  enabled:", r.Out, StringComparison.Ordinal);
        Assert.Contains("  backlog_limit:", r.Out, StringComparison.Ordinal);
        Assert.Contains("  lost:", r.Out, StringComparison.Ordinal);

        CliRunner.Result json = CliRunner.Run("status", "--json", "--socket", SocketPath);
        Assert.Equal(3, json.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(json.Out);
        Assert.False(doc.RootElement.GetProperty("running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("agent").ValueKind);
        Assert.True(doc.RootElement.GetProperty("kernel").GetProperty("backlog_limit").GetUInt32() > 0);
    }

    [Fact]
    public void The_socket_comes_from_the_configuration_and_a_broken_one_falls_back_with_a_warning()
    {
        string config = _dir.Write("kmodguard.yaml", $"status_socket: {SocketPath}\n");
        using (StatusServer server = StatusServer.Start(SocketPath, new SampleStatus(), _ => { }))
        {
            Assert.Equal(0, CliRunner.Run("status", "--config", config).ExitCode);
        }

        string broken = _dir.Write("broken.yaml", "status_socket: [\n");
        CliRunner.Result r = CliRunner.Run("status", "--config", broken);
        Assert.StartsWith($"warning: {broken}:2:1: YAML syntax error", r.Error, StringComparison.Ordinal);
        Assert.EndsWith("; using the default status socket\n", r.Error, StringComparison.Ordinal);
    }
}
