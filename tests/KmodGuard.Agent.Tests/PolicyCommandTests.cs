using System.Text.Json;

namespace KmodGuard.Agent.Tests;

public sealed class PolicyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Check_accepts_a_good_policy_with_a_one_line_summary()
    {
        string path = Write("good.yaml", "version: 1\nmode: enforce\ndefault: allow\nrules:\n  - id: a\n    action: deny\n");
        CliRunner.Result r = CliRunner.Run("policy", "check", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: ok: version 1, mode enforce, default allow, 1 rule, sha256 [0-9a-f]{{16}}\\n$", r.Out);
        Assert.Empty(r.Error);
    }

    [Fact]
    public void Check_reports_a_broken_policy_as_file_line_column_and_exits_2()
    {
        string path = Write("bad.yaml", "version: 1\nmode: enforce\ndefault: allow\nrules:\n  - id: a\n    action: deny\n    when:\n      file.path: [\"/tmp/a**\"]\n");
        CliRunner.Result r = CliRunner.Run("policy", "check", path);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"{path}:8:19: bad pattern for 'file.path'", r.Error, StringComparison.Ordinal);
        Assert.Empty(r.Out);
    }

    [Fact]
    public void Show_default_prints_the_embedded_policy_which_checks_clean()
    {
        CliRunner.Result r = CliRunner.Run("policy", "show-default");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("mode: monitor", r.Out, StringComparison.Ordinal);
        string path = Write("default.yaml", r.Out);
        Assert.Equal(0, CliRunner.Run("policy", "check", path).ExitCode);
    }

    [Fact]
    public void Explain_shows_each_condition_and_the_verdict()
    {
        string policy = Write("default.yaml", CliRunner.Run("policy", "show-default").Out);
        string activity = Write("a.json", "{\"os.type\":\"linux\",\"kmodguard.operation\":\"load\",\"kmodguard.module.name\":\"x\",\"file.path\":\"/opt/x.ko\",\"kmodguard.signature.status\":\"unsigned\"}");
        CliRunner.Result r = CliRunner.Run("policy", "explain", policy, "--activity", activity);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("rule deny-world-writable-paths (deny): no match", r.Out, StringComparison.Ordinal);
        Assert.Contains("file.path", r.Out, StringComparison.Ordinal);
        Assert.Contains("actual: /opt/x.ko", r.Out, StringComparison.Ordinal);
        Assert.Contains("rule deny-unsigned-or-invalid (deny): MATCH", r.Out, StringComparison.Ordinal);
        Assert.EndsWith("=> deny by rule deny-unsigned-or-invalid, mode monitor\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_json_is_machine_readable()
    {
        string policy = Write("default.yaml", CliRunner.Run("policy", "show-default").Out);
        string activity = Write("a.json", "{\"kmodguard.operation\":\"unload\",\"process.name\":\"evil\"}");
        CliRunner.Result r = CliRunner.Run("policy", "explain", policy, "--activity", activity, "--json");
        using JsonDocument doc = JsonDocument.Parse(r.Out);
        Assert.Equal("allow", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("alert-unexpected-unloader", doc.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public void Explain_with_a_bad_activity_file_says_why()
    {
        string policy = Write("default.yaml", CliRunner.Run("policy", "show-default").Out);
        string activity = Write("a.json", "{\"process.pid\": \"x\"}");
        CliRunner.Result r = CliRunner.Run("policy", "explain", policy, "--activity", activity);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'process.pid' must be an integer", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_subcommand_is_a_usage_error()
    {
        CliRunner.Result r = CliRunner.Run("policy", "frobnicate");
        Assert.NotEqual(0, r.ExitCode);
    }
}
