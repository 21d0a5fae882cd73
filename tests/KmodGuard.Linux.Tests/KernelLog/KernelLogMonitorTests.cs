using KmodGuard.Core.Events;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.KernelLog;

public sealed class KernelLogMonitorTests : IDisposable
{
    private readonly FakeKernelRoot _root = new();

    public void Dispose() => _root.Dispose();

    [SkippableFact]
    public void Follows_the_real_log_attaches_nothing_unrelated_and_stops_promptly()
    {
        Skip.IfNot(File.Exists(KmsgDevice.DefaultPath), "needs /dev/kmsg");
        var reports = new List<KernelMessageReport>();
        KernelLogMonitor monitor;
        try
        {
            monitor = KernelLogMonitor.Start(new SysModuleReader(_root.Paths), reports.Add);
        }
        catch (IOException e)
        {
            Skip.If(true, $"cannot read the kernel log here: {e.Message}");
            return;
        }

        _root.SysModule("dummy", taint: "E");
        var load = new ModuleActivity
        {
            Id = "audit:1",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            ReceiveTime = DateTimeOffset.UtcNow,
            Source = new LinuxAuditSource { Success = true },
            Module = new ModuleFacts { Name = "dummy" },
        };
        ModuleActivity attached = monitor.Attach(load);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        monitor.Dispose();

        Assert.Null(attached.KernelMessages);
        Assert.Equal("E", attached.TaintFlags);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Empty(reports);
    }

    [Fact]
    public void A_missing_log_is_a_clear_error()
    {
        IOException e = Assert.Throws<IOException>(() => KernelLogMonitor.Start(new SysModuleReader(_root.Paths), _ => { }, path: "/nonexistent/kmsg"));
        Assert.StartsWith("/nonexistent/kmsg: cannot open the kernel log", e.Message, StringComparison.Ordinal);
    }
}
