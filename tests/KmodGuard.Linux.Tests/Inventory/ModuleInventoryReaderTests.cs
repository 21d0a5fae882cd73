using KmodGuard.Core.Attack;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.Modules.Resolution;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.Inventory;

public sealed class ModuleInventoryReaderTests : IDisposable
{
    private readonly FakeKernelRoot _root = new();

    public void Dispose() => _root.Dispose();

    private ModuleInventory Read(Func<string, ModuleFacts>? inspect = null) => new ModuleInventoryReader(_root.Paths, inspect).Read();

    [Fact]
    public void A_kernel_without_module_support_is_reported_as_such_not_as_an_error()
    {
        _root.Tainted(0);
        ModuleInventory inv = Read();

        Assert.False(inv.ModuleSupport);
        Assert.Empty(inv.Modules);
        Assert.Empty(inv.Findings);
        Assert.Empty(inv.Errors);
        Assert.Equal(FakeKernelRoot.Release, inv.KernelRelease);
        Assert.False(inv.Taint!.IsTainted);
    }

    [Fact]
    public void The_real_debian_views_merge_into_one_list_with_files_from_modules_dep()
    {
        _root.DebianCapture();
        ModuleInventory inv = Read();

        Assert.True(inv.ModuleSupport);
        Assert.Empty(inv.Errors);
        Assert.Empty(inv.Findings);
        Assert.Equal(["dummy", "bridge", "stp", "llc"], inv.Modules.Select(m => m.Name));
        LoadedModule bridge = inv.Modules[1];
        Assert.True(bridge.Listed);
        Assert.Equal("live", bridge.InitState);
        Assert.Equal("5A957968BE9B1402DE66F7C", bridge.SrcVersion);
        Assert.Equal("2.3", bridge.Version);
        Assert.Equal("", bridge.Taint);
        Assert.Equal($"/lib/modules/{FakeKernelRoot.Release}/kernel/net/bridge/bridge.ko", bridge.FilePath);
        LoadedModule llc = inv.Modules[3];
        Assert.Equal(2, llc.RefCount);
        Assert.Equal(["bridge", "stp"], llc.Holders);
        Assert.Null(inv.Modules[0].SrcVersion);
        Assert.Equal("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", inv.BootId);
    }

    [Fact]
    public void The_diamorphine_pattern_is_a_critical_hidden_module_finding()
    {
        // Diamorphine: list_del from the module list, sect_attrs freed, kobject kept (detection notes §3.7).
        _root.DebianCapture().Tainted(12288).SysModule("diamorphine", taint: "OE", sections: false);
        ModuleInventory inv = Read();

        LoadedModule hidden = Assert.Single(inv.Modules, m => !m.Listed);
        Assert.Equal("diamorphine", hidden.Name);
        Assert.Equal("OE", hidden.Taint);
        Assert.False(hidden.HasSections);
        InventoryFinding finding = Assert.Single(inv.Findings);
        Assert.Equal(InventoryFindingKind.HiddenModule, finding.Kind);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("diamorphine", finding.ModuleName);
        Assert.Contains(AttackTechniques.Rootkit, finding.Techniques);
        Assert.Equal("module 'diamorphine' is in /sys/module (initstate live) but absent from /proc/modules: it hid itself from lsmod; its sections/ attributes are gone too", finding.Message);
    }

    [Fact]
    public void A_hidden_module_becomes_a_critical_alert_record_with_T1014()
    {
        _root.DebianCapture().SysModule("diamorphine", taint: "OE", sections: false);
        ModuleInventory inv = Read();
        (ModuleActivity activity, Decision decision) = InventoryAlerts.For(inv.Findings[0], inv, PolicyMode.Enforce);

        using var json = System.Text.Json.JsonDocument.Parse(Core.Telemetry.DecisionRecordWriter.ToJson(activity, decision));
        var r = json.RootElement;
        Assert.Equal("builtin-hidden-module", r.GetProperty("kmodguard.rule.id").GetString());
        Assert.Equal("critical", r.GetProperty("kmodguard.severity").GetString());
        Assert.Equal("alert", r.GetProperty("kmodguard.rule.action").GetString());
        Assert.Equal("none", r.GetProperty("kmodguard.action").GetString());
        Assert.Equal("diamorphine", r.GetProperty("kmodguard.module.name").GetString());
        Assert.Equal("OE", r.GetProperty("kmodguard.kernel.taint").GetString());
        Assert.Equal(["T1014", "T1547.006"], r.GetProperty("threat.technique.id").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("module 'diamorphine' is in /sys/module", r.GetProperty("kmodguard.reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_modules_and_modules_going_away_are_not_hidden()
    {
        _root.DebianCapture().SysModule("leaving", initstate: "going").BuiltIn("kernel");
        ModuleInventory inv = Read();

        Assert.All(inv.Modules, m => Assert.True(m.Listed));
        Assert.Empty(inv.Findings);
    }

    [Fact]
    public void A_listed_module_without_sections_is_suspicious_only_when_the_others_have_them()
    {
        // After "kill -63" Diamorphine re-lists itself, but its sections stay freed.
        _root.DebianCapture().ProcModules(File.ReadAllText(Path.Combine(FakeKernelRoot.FixturesDirectory, "inventory/debian-6.1.192-proc-modules.txt")) +
            "diamorphine 16384 0 - Live 0xffffffffc0400000 (OE)\n").SysModule("diamorphine", taint: "OE", sections: false);
        InventoryFinding finding = Assert.Single(Read().Findings);
        Assert.Equal(InventoryFindingKind.SectionsMissing, finding.Kind);
        Assert.Equal("diamorphine", finding.ModuleName);

        using var noKallsyms = new FakeKernelRoot();
        noKallsyms.ProcModules("a 1 0 - Live 0x0\nb 1 0 - Live 0x0\n").SysModule("a", sections: false).SysModule("b", sections: false);
        Assert.Empty(new ModuleInventoryReader(noKallsyms.Paths).Read().Findings);
    }

    [Fact]
    public void Module_taint_the_loaded_modules_do_not_explain_is_reported()
    {
        _root.DebianCapture().Tainted(12288);
        ModuleInventory inv = Read();
        Assert.Equal(["the kernel is tainted 'O'", "the kernel is tainted 'E'"], inv.Findings.Select(f => f.Message[..25]));
        Assert.All(inv.Findings, f => Assert.Equal(InventoryFindingKind.UnexplainedTaint, f.Kind));

        using var explained = new FakeKernelRoot();
        explained.Tainted(12288).ProcModules("dummy 16384 0 - Live 0x0 (OE)\n").SysModule("dummy", taint: "OE");
        Assert.Empty(new ModuleInventoryReader(explained.Paths).Read().Findings);
    }

    [Fact]
    public void The_kernel_logs_module_messages_come_along_and_name_the_module_behind_an_unexplained_taint()
    {
        // The guest's state after the capture: signed modules loaded, the unsigned/out-of-tree/XYZ-licensed dummy copies gone.
        _root.DebianCapture().DebianKernelLog().Tainted(12289);
        ModuleInventory inv = Read();

        Assert.Equal(25, inv.KernelMessages.Count);
        Assert.Equal("dummy: module verification failed: signature and/or required key missing - tainting kernel", inv.KernelMessages[0].Text);
        Assert.Equal(TimeSpan.FromMicroseconds(2878704), inv.KernelMessages[0].SinceBoot);
        Assert.Equal(
            [
                "the kernel is tainted 'P' (proprietary module was loaded) but no loaded module carries it: the module that caused it was unloaded, or is hidden; the kernel log names dummy",
                "the kernel is tainted 'O' (externally-built (\"out-of-tree\") module was loaded) but no loaded module carries it: the module that caused it was unloaded, or is hidden; the kernel log names dummy",
                "the kernel is tainted 'E' (unsigned module was loaded) but no loaded module carries it: the module that caused it was unloaded, or is hidden; the kernel log names dummy",
            ],
            inv.Findings.Select(f => f.Message));
        Assert.Empty(inv.Errors);
    }

    [Fact]
    public void Broken_files_become_errors_and_the_rest_of_the_inventory_holds()
    {
        _root.DebianCapture().Tainted(0).File("proc/sys/kernel/tainted", "garbage\n")
            .ProcModules("dummy 16384 0 - Live 0x0\nnot a module line\n")
            .KernelLog("5,1,100,-;x: loading out-of-tree module taints kernel.\ngarbage without a prefix\n");
        ModuleInventory inv = Read();

        Assert.Equal(["dummy"], inv.Modules.Where(m => m.Listed).Select(m => m.Name));
        Assert.Null(inv.Taint);
        Assert.Contains(inv.Errors, e => e.EndsWith("tainted: 'garbage' is not a number", StringComparison.Ordinal));
        Assert.Contains(inv.Errors, e => e.StartsWith("/proc/modules line 2:", StringComparison.Ordinal));
        Assert.Contains(inv.Errors, e => e.EndsWith("dev/kmsg: no ';' between the prefix and the message", StringComparison.Ordinal));
        Assert.Equal("x", Assert.Single(inv.KernelMessages).ModuleName);
    }

    [Fact]
    public void The_inspector_seam_gets_each_file_under_the_root_and_its_failures_are_contained()
    {
        _root.DebianCapture();
        var asked = new List<string>();
        ModuleInventory inv = Read(path =>
        {
            asked.Add(path);
            return path.EndsWith("stp.ko", StringComparison.Ordinal)
                ? throw new InvalidDataException("truncated ELF")
                : new ModuleFacts { Sha256 = new string('a', 64), SignatureStatus = SignatureStatus.SignedTrusted };
        });

        Assert.Equal(4, asked.Count);
        Assert.All(asked, p => Assert.StartsWith(_root.Root, p, StringComparison.Ordinal));
        Assert.Equal(SignatureStatus.SignedTrusted, inv.Modules[0].Inspection!.SignatureStatus);
        Assert.Null(inv.Modules[2].Inspection);
        Assert.Contains(inv.Errors, e => e.Contains("stp.ko: inspection failed: truncated ELF", StringComparison.Ordinal));
    }

    [Fact]
    public void Modules_dep_names_map_dashes_to_underscores_and_keep_absolute_paths()
    {
        string dir = Path.Combine(_root.Root, "lib", "modules", "6.1");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "modules.dep"),
            "kernel/drivers/pci/pci-pf-stub.ko:\n/opt/vendor/extra.ko.xz: kernel/lib/crc7.ko\nupdates/dummy.ko:\nkernel/drivers/net/dummy.ko:\n\ngarbage\n");
        KernelModuleIndex dep = KernelModuleIndex.Load("/lib/modules/6.1", _root.Root.TrimEnd('/'));
        Assert.Equal("/lib/modules/6.1/kernel/drivers/pci/pci-pf-stub.ko", dep.PathOf("pci_pf_stub"));
        Assert.Equal("/opt/vendor/extra.ko.xz", dep.PathOf("extra"));
        Assert.Equal("/lib/modules/6.1/updates/dummy.ko", dep.PathOf("dummy"));
        Assert.Null(dep.PathOf("missing"));
    }
}
