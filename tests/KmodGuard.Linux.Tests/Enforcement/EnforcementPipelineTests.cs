using System.Text.Json;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Enforcement;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Tests.Shared;
using NSubstitute;

namespace KmodGuard.Linux.Tests.Enforcement;

/// <summary>
/// The order the agent runs these in — attach the kernel's messages, decide, enforce, record — on the unsigned-module
/// case of the e2e guest, down to the decision record's keys.
/// </summary>
public sealed class EnforcementPipelineTests : IDisposable
{
    private static readonly DateTimeOffset Boot = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeKernelRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void An_unsigned_load_in_enforce_mode_is_unloaded_and_its_record_carries_the_kernels_verdict()
    {
        _root.SysModule("dummy", taint: "E");
        var sys = new SysModuleReader(_root.Paths);
        var correlator = new KernelMessageCorrelator(KernelMessageCorrelator.DefaultWindow, sys.ReadTaint);
        Assert.True(KmsgParser.TryParse("5,369,2878704,-;dummy: module verification failed: signature and/or required key missing - tainting kernel"u8, out KmsgRecord? record, out _));
        correlator.Observe(KernelModuleMessageClassifier.Classify(record, Boot)!);

        var holder = new PolicyHolder(PolicyLoader.Load(System.Text.Encoding.UTF8.GetBytes(DefaultPolicy.Text.Replace("mode: monitor", "mode: enforce", StringComparison.Ordinal)), "enforce.yaml"));
        IModuleSyscalls kernel = Substitute.For<IModuleSyscalls>();
        var enforcer = new ModuleEnforcer(holder, kernel, sys);

        var load = new ModuleActivity
        {
            Id = "audit:1795860148.900:57",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            EventTime = Boot + TimeSpan.FromMicroseconds(2880000),
            ReceiveTime = Boot + TimeSpan.FromMicroseconds(2881000),
            Source = new LinuxAuditSource { SyscallName = "finit_module", SyscallNumber = 313, Success = true, Exit = 0 },
            Module = new ModuleFacts { Name = "dummy", FilePath = "/e2e/modules/dummy-unsigned.ko", SignatureStatus = SignatureStatus.Unsigned },
            Process = new LoaderProcess { Pid = 120, Name = "insmod", ExecutablePath = "/bin/busybox" },
        };

        ModuleActivity enriched = correlator.Attach(load);
        Decision decision = enforcer.Enforce(enriched, holder.Current.Decide(enriched));

        kernel.Received(1).DeleteModule("dummy", LibC.ONonBlock);
        using JsonDocument json = JsonDocument.Parse(DecisionRecordWriter.ToJson(enriched, decision));
        JsonElement r = json.RootElement;
        Assert.Equal("deny", r.GetProperty(AttributeNames.Verdict).GetString());
        Assert.Equal("deny-unsigned-or-invalid", r.GetProperty(AttributeNames.RuleId).GetString());
        Assert.Equal("unloaded", r.GetProperty(AttributeNames.Action).GetString());
        Assert.Equal(["dummy: module verification failed: signature and/or required key missing - tainting kernel"],
            r.GetProperty(AttributeNames.KernelMessages).EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("E", r.GetProperty(AttributeNames.KernelTaint).GetString());
        Assert.Equal("Denied load of module 'dummy' from /e2e/modules/dummy-unsigned.ko by insmod (pid 120): rule deny-unsigned-or-invalid; unloaded",
            r.GetProperty("body").GetString());
    }
}
