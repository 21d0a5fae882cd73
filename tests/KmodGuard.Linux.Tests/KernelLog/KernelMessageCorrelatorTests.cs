using KmodGuard.Core.Events;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.KernelLog;

public sealed class KernelMessageCorrelatorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly FakeKernelRoot _root = new();
    private readonly KernelMessageCorrelator _correlator;

    public KernelMessageCorrelatorTests()
    {
        _correlator = new KernelMessageCorrelator(Window, new SysModuleReader(_root.Paths).ReadTaint);
        _root.SysModule("dummy", taint: "OE");
    }

    public void Dispose() => _root.Dispose();

    private static KernelModuleMessage Message(KernelModuleMessageKind kind, string? module, double atSeconds, string? text = null) =>
        new(kind, module, text ?? $"{module}: {kind}", 1, TimeSpan.FromSeconds(atSeconds), T0.AddSeconds(atSeconds));

    private static ModuleActivity Load(string? name, double atSeconds, bool success = true, string id = "audit:1") => new()
    {
        Id = id,
        Platform = Platform.Linux,
        Operation = ModuleOperation.Load,
        EventTime = T0.AddSeconds(atSeconds),
        ReceiveTime = T0.AddSeconds(atSeconds + 0.001),
        Source = new LinuxAuditSource { SyscallName = "finit_module", Success = success },
        Module = new ModuleFacts { Name = name },
    };

    [Fact]
    public void Messages_printed_during_the_load_are_attached_with_the_modules_taint_letters()
    {
        _correlator.Observe(Message(KernelModuleMessageKind.SignatureMissing, "dummy", 0, "dummy: module verification failed: signature and/or required key missing - tainting kernel"));
        _correlator.Observe(Message(KernelModuleMessageKind.OutOfTree, "dummy", 0.001, "dummy: loading out-of-tree module taints kernel."));
        _correlator.Observe(Message(KernelModuleMessageKind.OutOfTree, "other", 0.002));

        ModuleActivity a = _correlator.Attach(Load("dummy", 0.01));

        Assert.Equal(["dummy: module verification failed: signature and/or required key missing - tainting kernel", "dummy: loading out-of-tree module taints kernel."], a.KernelMessages);
        Assert.Equal("OE", a.TaintFlags);
        KernelMessageReport alone = Assert.Single(_correlator.Expire(T0.AddSeconds(10)));
        Assert.Equal("other", alone.Message.ModuleName);
        Assert.Null(alone.ActivityId);
    }

    [Fact]
    public void Names_compare_with_dashes_as_underscores_but_times_must_fall_in_the_window()
    {
        _correlator.Observe(Message(KernelModuleMessageKind.Blacklisted, "pci-pf-stub", 0));
        Assert.Single(_correlator.Attach(Load("pci_pf_stub", 1.5, success: false)).KernelMessages!);

        _correlator.Observe(Message(KernelModuleMessageKind.Blacklisted, "cordic", 0));
        Assert.Null(_correlator.Attach(Load("cordic", 5, success: false, id: "audit:2")).KernelMessages);
    }

    [Fact]
    public void A_nameless_message_goes_only_to_a_failed_load()
    {
        _correlator.Observe(Message(KernelModuleMessageKind.InvalidElf, null, 0, "Invalid ELF header magic: != \u007fELF"));
        Assert.Null(_correlator.Attach(Load("dummy", 0.1)).KernelMessages);
        ModuleActivity failed = _correlator.Attach(Load(null, 0.1, success: false, id: "audit:3"));
        Assert.Equal(["Invalid ELF header magic: != \u007fELF"], failed.KernelMessages);
        Assert.Null(failed.TaintFlags);
    }

    [Fact]
    public void A_message_arriving_after_the_decision_is_reported_for_that_activity()
    {
        _correlator.Attach(Load("dummy", 0, id: "audit:1700000000.1:77"));
        _correlator.Observe(Message(KernelModuleMessageKind.SignatureMissing, "dummy", 0.2));

        // It waits a moment for a closer load of the same module still on its way, then goes to the earlier decision.
        Assert.Empty(_correlator.Expire(T0.AddSeconds(0.3)));
        KernelMessageReport late = Assert.Single(_correlator.Expire(T0.AddSeconds(0.2) + KernelMessageCorrelator.LateGrace + TimeSpan.FromMilliseconds(1)));
        Assert.Equal("audit:1700000000.1:77", late.ActivityId);
    }

    [Fact]
    public void A_message_goes_to_the_closer_of_two_loads_of_the_same_module_even_if_it_is_decided_later()
    {
        // Seen under qemu: a load of dummy from /tmp, then an unsigned dummy 0.9 s later, whose "verification failed"
        // line reached the agent before its audit event did.
        _correlator.Attach(Load("dummy", 0, id: "earlier"));
        _correlator.Observe(Message(KernelModuleMessageKind.SignatureMissing, "dummy", 0.95));
        ModuleActivity closer = _correlator.Attach(Load("dummy", 0.9, id: "closer"));

        Assert.Equal(["dummy: SignatureMissing"], closer.KernelMessages);
        Assert.Empty(_correlator.Expire(T0.AddSeconds(5)));
    }

    [Fact]
    public void An_unmatched_message_waits_for_the_window_then_stands_alone()
    {
        KernelModuleMessage m = Message(KernelModuleMessageKind.SignatureMissing, "stealth", 0, "stealth: module verification failed: signature and/or required key missing - tainting kernel");
        _correlator.Observe(m);
        Assert.Empty(_correlator.Expire(T0.AddSeconds(1)));
        KernelMessageReport report = Assert.Single(_correlator.Expire(T0.AddSeconds(3)));
        Assert.Null(report.ActivityId);

        ModuleActivity alone = KernelLogActivities.Unmatched(report.Message, T0.AddSeconds(3), "E");
        Assert.Equal("stealth", alone.Module.Name);
        Assert.Equal(ModuleOperation.Load, alone.Operation);
        Assert.Equal([m.Text], alone.KernelMessages);
        Assert.Equal([KernelLogActivities.UnresolvedAudit], alone.Unresolved);
        Assert.Equal("kmsg:1", alone.Id);
        Assert.False(((KernelLogSource)alone.Source!).LoadRefused);
    }

    [Fact]
    public void Unloads_pass_through_and_memory_stays_bounded()
    {
        var unload = Load("dummy", 0) with { Operation = ModuleOperation.Unload };
        Assert.Same(unload, _correlator.Attach(unload));

        for (int i = 0; i < KernelMessageCorrelator.Capacity + 10; i++)
        {
            _correlator.Observe(Message(KernelModuleMessageKind.OutOfTree, "flood", 0));
        }

        Assert.Equal(10, _correlator.Dropped);
        Assert.Equal(KernelMessageCorrelator.Capacity, _correlator.Expire(T0.AddSeconds(60)).Count);
    }
}
