using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Linux.Inventory;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.Inventory;

public sealed class InventoryBaselineTests : IDisposable
{
    private readonly FakeKernelRoot _root = new();
    private readonly string _state = Directory.CreateTempSubdirectory("kmodguard-state-").FullName;

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private ModuleInventory Read() => new ModuleInventoryReader(_root.Paths).Read();

    [Fact]
    public void The_first_start_reports_nothing_as_new_and_saves_a_baseline_atomically()
    {
        _root.DebianCapture();
        var store = new InventoryBaselineStore(_state);
        var errors = new List<string>();
        BaselineChanges changes = store.Update(Read(), errors);

        Assert.Null(changes.Previous);
        Assert.Empty(changes.New);
        Assert.Empty(errors);
        Assert.Equal([InventoryBaselineStore.FileName], Directory.GetFiles(_state).Select(Path.GetFileName));
        InventoryBaseline saved = store.Load(out string? error)!;
        Assert.Null(error);
        Assert.Equal(["dummy", "bridge", "stp", "llc"], saved.Modules.Select(m => m.Name));
        Assert.Equal("5A957968BE9B1402DE66F7C", saved.Modules[1].SrcVersion);
    }

    [Fact]
    public void Modules_loaded_swapped_or_removed_while_the_agent_was_away_are_reported_at_the_next_start()
    {
        _root.DebianCapture();
        var store = new InventoryBaselineStore(_state);
        store.Update(Read(), []);

        // While stopped: dummy removed, bridge rebuilt (new srcversion), rootkit_helper loaded.
        _root.ProcModules("bridge 294912 0 - Live 0x0\nstp 16384 1 bridge, Live 0x0\nllc 16384 2 bridge,stp, Live 0x0\nrootkit_helper 4096 0 - Live 0x0 (OE)\n")
            .SysModule("bridge", srcversion: "0000000000000000000000A").SysModule("rootkit_helper", taint: "OE");
        Directory.Delete(Path.Combine(_root.Root, "sys/module/dummy"), recursive: true);
        ModuleInventory now = Read();
        BaselineChanges changes = store.Update(now, []);

        Assert.False(changes.Rebooted);
        Assert.Equal(["rootkit_helper"], changes.New.Select(m => m.Name));
        Assert.Equal(["bridge"], changes.Changed.Select(m => m.Name));
        Assert.Equal(["dummy"], changes.Gone);

        IReadOnlyList<ModuleActivity> activities = InventoryActivities.LoadedWhileAway(changes, now);
        Assert.Equal(["bridge", "rootkit_helper"], activities.Select(a => a.Module.Name).Order(StringComparer.Ordinal));
        ModuleActivity helper = activities.Single(a => a.Module.Name == "rootkit_helper");
        Assert.Equal(ModuleOperation.Load, helper.Operation);
        Assert.Equal("OE", helper.TaintFlags);
        Assert.Equal([InventoryActivities.UnresolvedLoader], helper.Unresolved);
        Assert.IsType<InventorySource>(helper.Source);
        Assert.Equal(Verdict.Allow, DefaultPolicy.Load().Decide(helper).Verdict);
        Assert.Equal("/lib/modules/6.1.0-56-cloud-amd64/kernel/net/bridge/bridge.ko", activities.Single(a => a.Module.Name == "bridge").Module.FilePath);
    }

    [Fact]
    public void A_baseline_from_an_earlier_boot_is_marked_as_such()
    {
        _root.DebianCapture();
        new InventoryBaselineStore(_state).Update(Read(), []);
        using var rebooted = new FakeKernelRoot(bootId: "11111111-2222-3333-4444-555555555555");
        rebooted.DebianCapture();
        BaselineChanges changes = new InventoryBaselineStore(_state).Update(new ModuleInventoryReader(rebooted.Paths).Read(), []);
        Assert.True(changes.Rebooted);
        Assert.Empty(changes.New);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"modules\": [{\"src_version\": \"x\"}]}")]
    [InlineData("")]
    public void A_corrupt_baseline_is_an_error_treated_as_no_baseline_and_replaced(string content)
    {
        File.WriteAllText(Path.Combine(_state, InventoryBaselineStore.FileName), content);
        _root.DebianCapture();
        var errors = new List<string>();
        BaselineChanges changes = new InventoryBaselineStore(_state).Update(Read(), errors);

        Assert.Null(changes.Previous);
        Assert.Single(errors);
        Assert.Contains("ignoring it", errors[0], StringComparison.Ordinal);
        Assert.NotNull(new InventoryBaselineStore(_state).Load(out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void An_unwritable_state_directory_is_an_error_not_a_crash()
    {
        string file = Path.Combine(_state, "not-a-directory");
        File.WriteAllText(file, "");
        var errors = new List<string>();
        _root.DebianCapture();
        new InventoryBaselineStore(Path.Combine(file, "state")).Update(Read(), errors);
        Assert.Contains(errors, e => e.Contains("could not save the baseline", StringComparison.Ordinal));
    }
}
