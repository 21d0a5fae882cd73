using System.Diagnostics;
using System.Text.Json;

namespace KmodGuard.Agent.Tests;

public sealed class ReplayCommandTests : IDisposable
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", "sample", "audit.log");
    private static readonly string Enriched = Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", "captures-6.18", "auditd-3.0.9-enriched.log");
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replaying_the_sample_prints_one_json_decision_per_activity_and_a_summary_on_stderr()
    {
        CliRunner.Result r = CliRunner.Run("replay", Sample);

        Assert.Equal(0, r.ExitCode);
        JsonElement[] records = [.. r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(7, records.Length);
        JsonElement deny = records.Single(e => e.GetProperty("kmodguard.verdict").GetString() == "deny");
        Assert.Equal("deny-world-writable-paths", deny.GetProperty("kmodguard.rule.id").GetString());
        Assert.Equal("/tmp/kgt/fake.ko", deny.GetProperty("file.path").GetString());
        Assert.Equal("finit_module", deny.GetProperty("kmodguard.linux.syscall").GetString());
        Assert.Equal("ENOEXEC", deny.GetProperty("kmodguard.linux.errno").GetString());
        Assert.Equal("audit:1795860012.003:108", deny.GetProperty("kmodguard.activity.id").GetString());
        Assert.Contains("op=remove_rule key=kmodguard", r.Error, StringComparison.Ordinal);
        Assert.EndsWith("replay: 1 of 1 file(s), 54 records, 13 events, 7 activities, 0 malformed records skipped, 0 events lost\n", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_format_prints_one_line_per_decision()
    {
        CliRunner.Result r = CliRunner.Run("replay", "--format", "text", Sample);

        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Matches(@"^2026-11-28T10:00:12\.003Z DENY would_deny load - /tmp/kgt/fake\.ko insmod\[207\] uid=0 sig=unknown rule=deny-world-writable-paths$", lines[3]);
    }

    [Fact]
    public void A_policy_file_decides_instead_of_the_default()
    {
        string policy = Write("p.yaml", "version: 1\nmode: enforce\ndefault: deny\nrules:\n  - id: allow-dummy\n    action: allow\n    when:\n      module.name: [dummy]\n");

        CliRunner.Result r = CliRunner.Run("replay", "--policy", policy, "--format", "text", Sample);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Out.Split('\n').Count(l => l.Contains("rule=allow-dummy", StringComparison.Ordinal)));
        Assert.Equal(4, r.Out.Split('\n').Count(l => l.Contains(" DENY none ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_broken_policy_is_a_usage_error()
    {
        CliRunner.Result r = CliRunner.Run("replay", "--policy", Write("bad.yaml", "version: 9\n"), Sample);

        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.Out);
        Assert.NotEmpty(r.Error);
    }

    [Fact]
    public void Rotated_logs_are_read_oldest_first_whatever_the_argument_order()
    {
        string[] sample = File.ReadAllLines(Sample);
        string log = Path.Combine(_dir, "audit.log");
        File.WriteAllLines(log + ".2", sample[..12]);
        File.WriteAllLines(log + ".1", sample[12..30]);
        File.WriteAllLines(log, sample[30..]);

        CliRunner.Result r = CliRunner.Run("replay", "--format", "text", log, log + ".1", log + ".2");

        Assert.Equal(CliRunner.Run("replay", "--format", "text", Sample).Out, r.Out);
        Assert.Contains("replay: 3 of 3 file(s), 54 records", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_input_is_reported_with_file_and_line_and_the_rest_goes_on()
    {
        string log = Write("broken.log", string.Join('\n', "garbage line", "\0\u0001binary", File.ReadAllText(Sample), "type=SYSCALL msg=audit(x"));
        string missing = Path.Combine(_dir, "missing.log");

        CliRunner.Result r = CliRunner.Run("replay", "--format", "text", missing, log);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(7, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{missing}: cannot read", r.Error, StringComparison.Ordinal);
        Assert.Contains($"{log}:1: skipped, not an audit record (MissingType): garbage line", r.Error, StringComparison.Ordinal);
        Assert.Contains($"{log}:2: skipped, not an audit record (MissingType): \\x00\\x01binary", r.Error, StringComparison.Ordinal);
        Assert.Contains("3 malformed records skipped", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_serial_gap_in_the_log_is_reported_as_lost_events()
    {
        string log = Write("gap.log", string.Join('\n', File.ReadLines(Enriched).Where(l => !l.Contains(":30):", StringComparison.Ordinal))));

        CliRunner.Result r = CliRunner.Run("replay", log);

        Assert.Contains("warning: 1 audit event(s) lost: serials 30..30 never arrived", r.Error, StringComparison.Ordinal);
        Assert.Contains("1 events lost", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dash_reads_the_log_from_stdin()
    {
        string agent = Path.Combine(AppContext.BaseDirectory, "kmodguard.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { agent, "replay", "--format", "text", "-" })
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        p.StandardInput.Write(File.ReadAllText(Sample));
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();

        Assert.Equal(0, p.ExitCode);
        Assert.Equal(7, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("<stdin>:54: audit configuration change", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_print_lists_the_module_syscall_rules_and_watches_in_auditctl_syntax()
    {
        CliRunner.Result r = CliRunner.Run("rules", "print");

        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("-a always,exit -F arch=b64 -S init_module,delete_module,finit_module -F key=kmodguard", lines);
        Assert.Contains(lines, l => l.StartsWith("-w ", StringComparison.Ordinal) && l.EndsWith(" -p wa -k kmodguard", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("kmodguard", l, StringComparison.Ordinal));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
