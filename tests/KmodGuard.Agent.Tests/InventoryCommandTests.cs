using System.Text.Json;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Agent.Tests;

public sealed class InventoryCommandTests : IDisposable
{
    private readonly FakeKernelRoot _root = new();
    private readonly string _state = Directory.CreateTempSubdirectory("kmodguard-state-").FullName;

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private CliRunner.Result Inventory(params string[] more) => CliRunner.Run(["inventory", "--root", _root.Root, "--state-dir", _state, .. more]);

    [Fact]
    public void Without_module_support_it_says_so_and_succeeds()
    {
        CliRunner.Result r = Inventory();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "kernel 6.1.0-56-cloud-amd64, taint: not tainted (0)\n" +
            "this kernel has no loadable-module support (no /proc/modules): no module can be loaded, so there is nothing to list\n",
            r.Out);
        Assert.Empty(r.Error);

        using JsonDocument json = JsonDocument.Parse(Inventory("--json").Out);
        Assert.False(json.RootElement.GetProperty("module_support").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("modules").GetArrayLength());
    }

    [Fact]
    public void Prints_a_table_with_files_decoded_taint_and_the_hidden_module_finding()
    {
        _root.DebianCapture().Tainted(12288).SysModule("diamorphine", taint: "OE", sections: false);
        CliRunner.Result r = Inventory();

        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Out.Split('\n');
        Assert.Equal("kernel 6.1.0-56-cloud-amd64, taint: OE (12288)", lines[0]);
        Assert.Equal("  O  externally-built (\"out-of-tree\") module was loaded", lines[1]);
        Assert.Equal("5 modules loaded (1 HIDDEN)", lines[3]);
        Assert.Matches(@"^bridge\s+294912\s+0\s+Live\s+-\s+5A957968BE9B1402DE66F7C\s+/lib/modules/6.1.0-56-cloud-amd64/kernel/net/bridge/bridge.ko$", lines[6]);
        Assert.Matches(@"^diamorphine\s+-\s+0\s+HIDDEN\s+OE\s+-\s+-$", lines[9]);
        Assert.Contains("  critical  hidden_module  module 'diamorphine' is in /sys/module (initstate live) but absent from /proc/modules", r.Out, StringComparison.Ordinal);
        Assert.Contains("[T1014, T1547.006]", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("kernel module messages", r.Out, StringComparison.Ordinal);
        Assert.EndsWith($"no baseline in {_state}/module-baseline.json yet (the agent writes one when it starts)\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_modules_taint_findings_and_the_baseline_comparison()
    {
        _root.DebianCapture().KernelLog("3,389,3009446,-;Module cordic is blacklisted\n");
        var store = new KmodGuard.Linux.Inventory.InventoryBaselineStore(_state);
        store.Save(new KmodGuard.Linux.Inventory.InventoryBaseline("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "6.1.0-56-cloud-amd64", DateTimeOffset.UnixEpoch,
            [new("dummy", null, null, null), new("gone_module", null, null, null)]));

        CliRunner.Result r = Inventory("--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument json = JsonDocument.Parse(r.Out);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("module_support").GetBoolean());
        Assert.Equal(["dummy", "bridge", "stp", "llc"], root.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        JsonElement llc = root.GetProperty("modules")[3];
        Assert.Equal(2, llc.GetProperty("refcount").GetInt32());
        Assert.Equal(["bridge", "stp"], llc.GetProperty("holders").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("/lib/modules/6.1.0-56-cloud-amd64/kernel/net/llc/llc.ko", llc.GetProperty("file").GetString());
        JsonElement baseline = root.GetProperty("baseline");
        Assert.True(baseline.GetProperty("present").GetBoolean());
        Assert.Equal(["bridge", "stp", "llc"], baseline.GetProperty("new").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["gone_module"], baseline.GetProperty("gone").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(0, root.GetProperty("findings").GetArrayLength());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        JsonElement message = Assert.Single(root.GetProperty("kernel_messages").EnumerateArray());
        Assert.Equal("blacklisted", message.GetProperty("kind").GetString());
        Assert.Equal("cordic", message.GetProperty("module").GetString());
        Assert.Equal(3.009446, message.GetProperty("since_boot").GetDouble());
        Assert.Equal(389, message.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public void Unreadable_parts_are_warnings_on_stderr_and_a_missing_root_is_a_usage_error()
    {
        _root.DebianCapture().ProcModules("dummy 16384 0 - Live 0x0\nbroken line\n");
        File.WriteAllText(Path.Combine(_state, "module-baseline.json"), "{ broken");
        CliRunner.Result r = Inventory();
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: /proc/modules line 2: expected 6 or 7 fields (name size refcount deps state address [taints]), got 2", r.Error, StringComparison.Ordinal);
        Assert.Contains("module-baseline.json", r.Error, StringComparison.Ordinal);

        CliRunner.Result missing = CliRunner.Run("inventory", "--root", "/nonexistent-root");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("--root /nonexistent-root: no such directory\n", missing.Error);
    }
}
