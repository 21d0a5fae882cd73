using System.Collections.Concurrent;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Linux.Tests.KernelLog;

/// <summary>Reads this machine's real /dev/kmsg (the kernel log, not the audit socket).</summary>
public class KmsgFollowerTests
{
    private static bool CanUseKmsg()
    {
        try
        {
            using FileStream _ = File.Open(KmsgDevice.DefaultPath, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [SkippableFact]
    public void Replays_the_ring_buffer_then_follows_new_records_and_ignores_a_forged_module_message()
    {
        Skip.IfNot(CanUseKmsg(), "needs read and write access to /dev/kmsg (root)");
        var records = new BlockingCollection<KmsgRecord>();
        string marker = $"kmodguard_selftest_forgery_{Environment.ProcessId}_{Guid.NewGuid():N}";
        using (KmsgFollower.Start(records.Add, fromStart: true))
        {
            // A process may write to the kernel log, but never with the kernel's facility: this is what a forgery looks like.
            File.WriteAllText(KmsgDevice.DefaultPath, $"<5>{marker[..50]}: module verification failed: signature and/or required key missing - tainting kernel\n");
            KmsgRecord? forged = null;
            int before = 0;
            while (forged is null && records.TryTake(out KmsgRecord? r, TimeSpan.FromSeconds(10)))
            {
                if (r.Message.StartsWith(marker[..50], StringComparison.Ordinal))
                {
                    forged = r;
                }
                else
                {
                    before++;
                }
            }

            Assert.NotNull(forged);
            Assert.True(before > 0, "the boot messages still in the ring buffer come first");
            Assert.False(forged.FromKernel);
            Assert.Null(KernelModuleMessageClassifier.Classify(forged, DateTimeOffset.UtcNow));
        }
    }

    [SkippableFact]
    public void Stops_promptly_when_disposed_while_the_log_is_quiet()
    {
        Skip.IfNot(CanUseKmsg(), "needs read access to /dev/kmsg (root)");
        KmsgFollower follower = KmsgFollower.Start(_ => { }, fromStart: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        follower.Dispose();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_missing_log_is_a_clear_error()
    {
        IOException e = Assert.Throws<IOException>(() => KmsgFollower.Start(_ => { }, fromStart: false, path: "/nonexistent/kmsg"));
        Assert.Equal("/nonexistent/kmsg: cannot open the kernel log (ENOENT)", e.Message);
    }
}
