using System.Text.Json;
using Xunit.Abstractions;

namespace KmodGuard.E2E.Tests;

/// <summary>
/// What the real Debian kernel did in each scenario, from /proc/modules, exit codes and its own log: these hold with
/// or without the agent and prove the harness (download, initramfs, boot, scenario protocol, parsing).
/// </summary>
[Collection(GuestCollection.Name)]
public sealed class KernelScenarioTests(GuestFixture guest, ITestOutputHelper output)
{
    [SkippableFact]
    public void The_guest_boots_the_current_debian_kernel_and_runs_every_scenario()
    {
        GuestRun run = guest.Require();
        output.WriteLine($"{run.Env["PACKAGE"]} {run.Env["VERSION"]}: prepared in {guest.PrepareTime.TotalSeconds:F1} s, booted and ran in {guest.BootTime.TotalSeconds:F1} s");

        Assert.Equal(run.Env["RELEASE"], run["boot"].Value("release"));
        Assert.StartsWith("linux-image-", run.Env["PACKAGE"], StringComparison.Ordinal);
        Assert.Equal("yes", run["boot"].Value("module_support"));
        Assert.Empty(run["boot"].LoadedAt("start"));
        Assert.Matches("^[0-9A-F]{40}$", run.Env["CERT_SERIAL"]);
        Assert.All(run.Scenarios.Values, s => Assert.True(s.Ended, $"scenario {s.Name} did not end"));
        Assert.All(run.Scenarios.Values, s => Assert.Empty(s.MalformedRecords));
        Assert.True(guest.BootTime < TimeSpan.FromMinutes(3), $"the guest took {guest.BootTime}");
    }

    [SkippableFact]
    public void A_signed_module_loads_with_insmod_and_modprobe_and_stays()
    {
        GuestRun run = guest.Require();
        Assert.Equal("0", run["insmod-signed"].Value("insmod_rc"));
        Assert.Equal(["dummy"], run["insmod-signed"].LoadedAt("after"));
        Assert.Equal("0", run["insmod-signed"].Value("rmmod_rc"));
        Assert.Equal("0", run["modprobe-signed"].Value("modprobe_rc"));
        Assert.Equal(["dummy"], run["modprobe-signed"].LoadedAt("after"));
        Assert.Equal("0", run["modprobe-signed"].Value("modprobe_remove_rc"));
    }

    [SkippableFact]
    public void Rmmod_unloads_and_a_name_with_a_space_is_not_found()
    {
        Scenario s = guest.Require()["rmmod-names"];
        Assert.Equal("0", s.Value("rmmod_rc"));
        Assert.Equal("1", s.Value("rmmod_space_rc"));
        Assert.Empty(s.LoadedAt("after"));
    }

    [SkippableFact]
    public void The_kernel_refuses_a_tampered_module()
    {
        // A signature that parses but does not verify is fatal even when signatures are not enforced: EKEYREJECTED (129).
        Scenario s = guest.Require()["tampered"];
        Assert.Equal("129", s.Value("insmod_rc"));
        Assert.Empty(s.LoadedAt("after"));
    }

    [SkippableFact]
    public void An_unsigned_module_loads_with_the_kernels_own_verdict_and_taint()
    {
        GuestRun run = guest.Require();
        Scenario s = run["unsigned"];
        Assert.Equal("0", s.Value("insmod_rc"));
        Assert.Contains(s.KernelLog, l => l.EndsWith("dummy: module verification failed: signature and/or required key missing - tainting kernel", StringComparison.Ordinal));
        Assert.NotEqual(0, long.Parse(s.Value("kernel_tainted")!, System.Globalization.CultureInfo.InvariantCulture) & (1 << 13));
        if (!run.AgentRuns)
        {
            Assert.Equal("E", s.Value("taint_after_load"));
            Assert.Equal(["dummy"], s.LoadedAt("after"));
        }
    }

    [SkippableFact]
    public void A_compressed_module_is_loaded_from_memory_after_finit_module_refuses_it()
    {
        Scenario s = guest.Require()["memory-buffer"];
        Assert.Equal("0", s.Value("insmod_rc"));
        Assert.Contains(s.KernelLog, l => l.Contains("Invalid ELF header magic", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Inventory_on_the_real_kernel_lists_the_module_and_names_the_unloaded_one_behind_the_taint()
    {
        GuestRun run = guest.Require();
        Skip.IfNot(run.AgentPresent, "artifacts/publish/kmodguard is not built (./build.sh e2e publishes it)");
        Scenario s = run["inventory"];
        Assert.Equal("0", s.Value("inventory_rc"));
        using JsonDocument json = JsonDocument.Parse(s.Value("inventory_json")!);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("module_support").GetBoolean());
        Assert.Equal(run.Env["RELEASE"], root.GetProperty("kernel_release").GetString());
        JsonElement dummy = Assert.Single(root.GetProperty("modules").EnumerateArray());
        Assert.Equal("dummy", dummy.GetProperty("name").GetString());
        Assert.True(dummy.GetProperty("listed").GetBoolean());
        Assert.Equal("live", dummy.GetProperty("initstate").GetString());
        Assert.Equal("", dummy.GetProperty("taint").GetString());
        Assert.True(dummy.GetProperty("has_sections").GetBoolean());
        Assert.Equal(run.Env["DUMMY_PATH"], dummy.GetProperty("file").GetString());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());

        // The unsigned copy loaded earlier tainted the kernel (E, sticky) and was unloaded since.
        Assert.Contains("E", root.GetProperty("taint").GetProperty("letters").GetString(), StringComparison.Ordinal);
        JsonElement finding = Assert.Single(root.GetProperty("findings").EnumerateArray());
        Assert.Equal("unexplained_taint", finding.GetProperty("kind").GetString());
        Assert.EndsWith("the kernel log names dummy", finding.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Read from the real /dev/kmsg: the kernel's verdicts of this boot, classified.
        string[] kinds = root.GetProperty("kernel_messages").EnumerateArray().Select(m => $"{m.GetProperty("kind").GetString()} {m.GetProperty("module").GetString()}").ToArray();
        Assert.Contains("signature_missing dummy", kinds);
        Assert.Contains("invalid_elf ", kinds);
    }
}
