using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Audit.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

/// <summary>What a killed predecessor leaves behind is cleaned up at the next start.</summary>
[Collection(AuditSocketCollection.Name)]
public sealed class AuditSessionRecoveryTests : IDisposable
{
    private const string Key = "kmodguard-test";
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-recovery-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Stale_rules_and_changed_settings_of_a_killed_agent_are_put_right_at_the_next_start()
    {
        LiveAudit.SkipUnlessAvailable();
        using var state = new KernelAuditState();
        Skip.If(state.Initial.Pid != 0, $"another audit daemon (pid {state.Initial.Pid}) is registered");

        // The predecessor's leftovers: its rules, a changed backlog limit, and the journal of what it found.
        string journal = Path.Combine(_dir, "audit-settings");
        File.WriteAllText(journal, $"enabled={state.Initial.Enabled}\nbacklog_limit={state.Initial.BacklogLimit}\nbacklog_wait_time={state.Initial.BacklogWaitTime}\nfeature_bitmap={state.Initial.FeatureBitmap}\n");
        byte[] stale = TestRules.Bytes($"-a always,exit -F arch=b64 -S delete_module -F key={Key}");
        state.Control.AddRule(stale);
        state.Control.SetStatus(new AuditStatus { Mask = AuditStatus.MaskBacklogLimit, BacklogLimit = 12345 });
        byte[] foreign = TestRules.Bytes("-a always,exit -F arch=b64 -S delete_module -F key=someone-else");
        state.Control.AddRule(foreign);

        var options = new AuditSessionOptions { Mode = AuditMode.Multicast, RuleKey = Key, Rules = TestRules.Module(Key), StateFile = journal };
        using (AuditSession session = AuditSession.Start(options, NullLogger.Instance, (_, _) => { }))
        {
            Assert.Equal(state.Initial.BacklogLimit, state.Control.GetStatus().BacklogLimit);
            List<byte[]> ours = session.ListOurRules();
            Assert.Equal(2, ours.Count);
            Assert.DoesNotContain(ours, r => r.AsSpan().SequenceEqual(stale));
            session.Stop();
        }

        List<byte[]> rules = state.Control.ListRules();
        Assert.Contains(rules, r => AuditRuleKeys.Has(r, "someone-else"));
        Assert.DoesNotContain(rules, r => AuditRuleKeys.Has(r, Key));
        Assert.False(File.Exists(journal));
    }

    [SkippableFact]
    public void Inside_a_user_namespace_the_agent_names_the_container_cause()
    {
        LiveAudit.SkipUnlessAvailable();
        Skip.IfNot(File.Exists("/usr/bin/unshare"), "needs unshare (util-linux)");
        string agent = Agent.AgentProcess.Executable;
        Skip.IfNot(File.Exists(agent), "the agent is not built");
        (int code, string output) = NativeTools.Run("/usr/bin/unshare", "--user", "--map-root-user", "--", "/bin/sh", "-c",
            $"'{agent}' run --config '{_dir}/absent.yaml' --state-dir '{_dir}/state' --status-socket '{_dir}/s.sock' 2>&1");
        Assert.Equal(2, code);
        Assert.Contains("container", output, StringComparison.Ordinal);
    }
}
