using System.Collections.Concurrent;
using System.Text;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Replay;
using KmodGuard.Linux.Tests.Audit.Events;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Audit.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

/// <summary>The agent beside a real auditd, in both start orders.</summary>
[Collection(AuditSocketCollection.Name)]
public sealed class AuditCoexistenceTests
{
    private const string Key = "kmodguard-test";
    private const string AuditdRuleKey = "auditd-owned";

    private static AuditSessionOptions Options() => new()
    {
        Mode = AuditMode.Auto,
        RuleKey = Key,
        Rules = TestRules.Module(Key),
    };

    [SkippableFact]
    public void Beside_a_running_auditd_the_agent_reads_multicast_sees_the_same_events_and_leaves_auditd_alone()
    {
        LiveAudit.SkipUnlessAvailable();
        AuditdProcess.SkipUnlessInstalled();
        NativeTools.SkipUnlessBuilt(NativeTools.ModTest);
        using var state = new KernelAuditState();
        Skip.If(state.Initial.Pid != 0, $"another audit daemon (pid {state.Initial.Pid}) is registered");

        using AuditdProcess auditd = AuditdProcess.Start();
        Assert.True(auditd.WaitRegistered(state.Control, TimeSpan.FromSeconds(10)), "auditd did not register");
        byte[] auditdRule = TestRules.Bytes("-a always,exit -F arch=b64 -S delete_module -F key=" + AuditdRuleKey);
        state.Control.AddRule(auditdRule);

        var records = new ConcurrentQueue<string>();
        void OnRecord(ushort type, ReadOnlySpan<byte> payload) => records.Enqueue($"{type} {Encoding.UTF8.GetString(payload)}");
        using (AuditSession session = AuditSession.Start(Options(), NullLogger.Instance, OnRecord))
        {
            Assert.Equal(AuditMode.Multicast, session.Mode);
            Assert.Contains($"pid {auditd.Pid}", session.Reason, StringComparison.Ordinal);
            using var stop = new CancellationTokenSource();
            Task loop = new AuditRecordReader(session.Data, OnRecord, () => { }).RunAsync(stop.Token);

            string pid = NativeTools.Run(NativeTools.ModTest, "delete", "coexist_mod").Output.Split(' ')[1];
            Assert.True(SpinWait.SpinUntil(() => records.Any(r => r.Contains($" {pid} ", StringComparison.Ordinal) && r.Contains("syscall=176", StringComparison.Ordinal)), 5000), "the agent did not see the delete_module");
            Assert.True(SpinWait.SpinUntil(() => auditd.LogLines().Any(l => l.Contains($" {pid} ", StringComparison.Ordinal) && l.Contains("syscall=176", StringComparison.Ordinal)), 5000), "auditd did not log the delete_module");
            stop.Cancel();
            loop.Wait();
            session.Stop();

            // auditd's own ENRICHED log of the same event replays to the same activity.
            var replayed = new RecordingSink();
            var replay = new AuditLogReplay(replayed);
            using (FileStream log = File.OpenRead(auditd.LogFile))
            {
                replay.Replay(auditd.LogFile, log);
            }

            replay.Finish();
            ModuleActivity activity = Assert.Single(replayed.Activities, a => a.Process.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) == pid.Split('=')[1]);
            Assert.Equal(ModuleOperation.Unload, activity.Operation);
            Assert.Equal("delete_module", ((LinuxAuditSource)activity.Source!).SyscallName);
            Assert.Equal("ENOSYS", ((LinuxAuditSource)activity.Source!).Errno);
            Assert.Empty(replayed.Malformed);
        }

        List<byte[]> rules = state.Control.ListRules();
        Assert.Contains(rules, r => AuditRuleKeys.Has(r, AuditdRuleKey));
        Assert.DoesNotContain(rules, r => AuditRuleKeys.Has(r, Key));
        Assert.Equal((uint)auditd.Pid, state.Control.GetStatus().Pid);
    }

    [SkippableFact]
    public void With_the_agent_registered_first_auditd_cannot_register_and_the_agent_keeps_unicast()
    {
        LiveAudit.SkipUnlessAvailable();
        AuditdProcess.SkipUnlessInstalled();
        using var state = new KernelAuditState();
        Skip.If(state.Initial.Pid != 0, $"another audit daemon (pid {state.Initial.Pid}) is registered");

        using AuditSession session = AuditSession.Start(Options(), NullLogger.Instance, (_, _) => { });
        Assert.Equal(AuditMode.Unicast, session.Mode);
        using (AuditdProcess auditd = AuditdProcess.Start())
        {
            Assert.True(auditd.WaitExit(TimeSpan.FromSeconds(15)), "auditd kept running although the agent is the registered daemon");
            Assert.NotEqual(0, auditd.ExitCode);
        }

        Assert.Equal((uint)Environment.ProcessId, state.Control.GetStatus().Pid);
        session.Stop();
        Assert.Equal(0u, state.Control.GetStatus().Pid);
    }
}
