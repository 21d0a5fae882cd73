using System.Collections.Concurrent;
using System.Text;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Audit.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

[Collection(AuditSocketCollection.Name)]
public sealed class AuditSessionTests : IDisposable
{
    private const string Key = "kmodguard-test";
    private readonly string _stateDir = Directory.CreateTempSubdirectory("kmodguard-session-").FullName;

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    private AuditSessionOptions Options(AuditMode mode) => new()
    {
        Mode = mode,
        RuleKey = Key,
        Rules = TestRules.Module(Key),
        StateFile = Path.Combine(_stateDir, "audit-settings"),
    };

    [SkippableFact]
    public void Unicast_session_sees_module_syscalls_and_restores_the_kernel_state()
    {
        LiveAudit.SkipUnlessAvailable();
        NativeTools.SkipUnlessBuilt(NativeTools.ModTest);
        using AuditNetlinkSocket probe = AuditNetlinkSocket.Open();
        var control = new AuditControl(probe);
        AuditStatus before = control.GetStatus();
        Skip.If(before.Pid != 0, $"another audit daemon (pid {before.Pid}) is registered");

        var records = new ConcurrentQueue<string>();
        void OnRecord(ushort type, ReadOnlySpan<byte> payload) => records.Enqueue($"{type} {Encoding.UTF8.GetString(payload)}");
        using (AuditSession session = AuditSession.Start(Options(AuditMode.Unicast), NullLogger.Instance, OnRecord))
        {
            Assert.Equal(AuditMode.Unicast, session.Mode);
            AuditStatus during = control.GetStatus();
            Assert.Equal((uint)Environment.ProcessId, during.Pid);
            Assert.Equal(1u, during.Enabled);
            Assert.True(during.BacklogLimit >= 8192);
            Assert.Equal(2, session.ListOurRules().Count);

            using var stop = new CancellationTokenSource();
            var reader = new AuditRecordReader(session.Data, OnRecord, () => { });
            Task loop = reader.RunAsync(stop.Token);

            string init = NativeTools.Run(NativeTools.ModTest, "init").Output;
            string finit = NativeTools.Run(NativeTools.ModTest, "finit", "/etc/hostname").Output;
            string delete = NativeTools.Run(NativeTools.ModTest, "delete", "evil mod", "--comm", "evil loader").Output;
            string compat = NativeTools.Run(NativeTools.ModTest, "init", "--32").Output;

            AssertRecord(records, init, "syscall=175", "exit=-38");
            AssertRecord(records, finit, "syscall=313", "exit=-38");
            AssertRecord(records, delete, "syscall=176", "comm=6576696C206C6F61646572");
            AssertRecord(records, compat, "arch=40000003", "syscall=128");
            stop.Cancel();
            loop.Wait();
            session.Stop();
        }

        AuditStatus after = control.GetStatus();
        Assert.Equal(0u, after.Pid);
        Assert.Equal(before.Enabled, after.Enabled);
        Assert.Equal(before.BacklogLimit, after.BacklogLimit);
        Assert.Equal(before.BacklogWaitTime, after.BacklogWaitTime);
        Assert.DoesNotContain(control.ListRules(), r => AuditRuleKeys.Has(r, Key));
        Assert.False(File.Exists(Path.Combine(_stateDir, "audit-settings")));
    }

    private static void AssertRecord(ConcurrentQueue<string> records, string toolOutput, params string[] expected)
    {
        string pid = toolOutput.Split(' ').First(p => p.StartsWith("pid=", StringComparison.Ordinal));
        DateTime deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (records.Any(r => r.StartsWith("1300 ", StringComparison.Ordinal) && r.Contains($" {pid} ", StringComparison.Ordinal) && expected.All(e => r.Contains(e, StringComparison.Ordinal))))
            {
                return;
            }

            Thread.Sleep(20);
        }

        Assert.Fail($"no SYSCALL record with {pid} and {string.Join(", ", expected)} among {records.Count} records:\n{string.Join('\n', records.Take(20))}");
    }
}
