using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

[Collection(AuditSocketCollection.Name)]
public sealed class AuditLossTests
{
    private const string Key = "kmodguard-test";

    [SkippableFact]
    public void Kernel_losses_are_reported_as_exactly_the_kernel_counter_delta()
    {
        LiveAudit.SkipUnlessAvailable();
        NativeTools.SkipUnlessBuilt(NativeTools.ModTest);
        using var state = new KernelAuditState();
        Skip.If(state.Initial.Pid != 0, $"another audit daemon (pid {state.Initial.Pid}) is registered");

        var options = new AuditSessionOptions { Mode = AuditMode.Unicast, RuleKey = Key, Rules = TestRules.Module(Key), ReceiveBufferBytes = 4096 };
        using AuditSession session = AuditSession.Start(options, NullLogger.Instance, (_, _) => { });
        // A tiny backlog and a reader that is not reading yet: the kernel must drop and count.
        state.Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskBacklogLimit, BacklogLimit = 16 });
        var monitor = new AuditStatusMonitor(session.Control, TimeSpan.FromSeconds(1));
        long reported = 0;
        monitor.Lost += (delta, _) => reported += delta;
        uint before = monitor.Poll().Lost;

        NativeTools.Run(NativeTools.ModTest, "flood", "20000", "0.5", "delete");
        using var stop = new CancellationTokenSource();
        var reader = new AuditRecordReader(session.Data, (_, _) => { }, () => { });
        Task loop = reader.RunAsync(stop.Token);
        Thread.Sleep(300);
        uint after = monitor.Poll().Lost;
        stop.Cancel();
        loop.Wait();

        Assert.True(after > before, "the flood should have overflowed a backlog of 16");
        Assert.Equal(after - before, (uint)reported);
        Assert.Equal(after - before, (uint)monitor.KernelLostSinceStart);
        session.Stop();
    }
}
