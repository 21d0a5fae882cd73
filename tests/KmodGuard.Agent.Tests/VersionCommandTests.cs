using System.Text.Json;

namespace KmodGuard.Agent.Tests;

public class VersionCommandTests
{
    [Fact]
    public void Version_names_version_commit_runtime_and_build_kind()
    {
        CliRunner.Result r = CliRunner.Run("version");
        Assert.Equal(0, r.ExitCode);
        // The test host runs the JIT build; the NativeAOT binary says NativeAOT (checked by the packaging tests).
        Assert.Matches(@"^kmodguard \d+\.\d+\.\d+( \(commit [0-9a-f]{7,40}\))?, \.NET \d+\.\d+\.\d+, linux-x64, JIT\n$", r.Out);
    }

    [Fact]
    public void Version_as_json()
    {
        CliRunner.Result r = CliRunner.Run("version", "--json");
        using JsonDocument doc = JsonDocument.Parse(r.Out);
        Assert.Matches(@"^\d+\.\d+\.\d+$", doc.RootElement.GetProperty("version").GetString());
        Assert.False(doc.RootElement.GetProperty("native_aot").GetBoolean());
        Assert.StartsWith(".NET ", doc.RootElement.GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.False(doc.RootElement.TryGetProperty("short", out _));
    }
}
