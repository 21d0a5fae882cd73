using System.Text.Json;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.Agent;

/// <summary>
/// The real agent on the real kernel: module syscalls issued by a test program (they fail with ENOSYS here, as this
/// kernel has no module support, and are audited all the same) must each become exactly one decision record.
/// </summary>
[Collection(AuditSocketCollection.Name)]
public sealed class LiveAgentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-live-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private AgentProcess StartAgent(string logged = "started in") => AgentProcess.StartRun(_dir, logged: logged);

    private static string Str(JsonElement r, string key) => r.TryGetProperty(key, out JsonElement v) ? v.ToString() : "(absent)";

    private static bool IsDecisionFor(JsonElement r, string pid) =>
        Str(r, "process.pid") == pid && !r.TryGetProperty("kmodguard.update", out _);

    private static string PidOf(string toolOutput) => toolOutput.Split(' ').First(p => p.StartsWith("pid=", StringComparison.Ordinal))[4..];

    [SkippableFact]
    public void Each_module_syscall_becomes_exactly_one_decision_with_its_facts()
    {
        string module = Path.Combine(_dir, "crc7.ko");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "modules", "crc7_6.1.0-56-cloud-amd64.ko"), module);
        using AgentProcess agent = StartAgent();

        string init = PidOf(NativeTools.Run(NativeTools.ModTest, "init").Output);
        string finit = PidOf(NativeTools.Run(NativeTools.ModTest, "finit", module, "--hold", "300").Output);
        string delete = PidOf(NativeTools.Run(NativeTools.ModTest, "delete", "evil mod", "--comm", "evil loader").Output);
        string compat = PidOf(NativeTools.Run(NativeTools.ModTest, "delete", "x", "--32").Output);

        // The file's facts are in the decision, or in its update when enrichment outlived its budget.
        agent.WaitForRecord(r => IsDecisionFor(r, compat));
        List<JsonElement> records = agent.WaitForRecord(r => Str(r, "process.pid") == finit && r.TryGetProperty("kmodguard.module.sha256", out _));
        Assert.Equal(0, agent.Stop());

        JsonElement Only(string pid) => Assert.Single(records, r => IsDecisionFor(r, pid));
        foreach ((string pid, string syscall, string arch) in new[]
        {
            (init, "init_module", "x86_64"), (finit, "finit_module", "x86_64"), (delete, "delete_module", "x86_64"), (compat, "delete_module", "i386"),
        })
        {
            JsonElement r = Only(pid);
            Assert.Equal(syscall, Str(r, "kmodguard.linux.syscall"));
            Assert.Equal(arch, Str(r, "kmodguard.linux.arch"));
            Assert.Equal("ENOSYS", Str(r, "kmodguard.linux.errno"));
            Assert.Equal("-38", Str(r, "kmodguard.linux.exit"));
            Assert.Equal(NativeTools.ModTest, Str(r, "process.executable.path"));
            Assert.Equal(syscall == "delete_module" ? "unload" : "load", Str(r, "kmodguard.operation"));
        }

        Assert.Equal("evil loader", Str(Only(delete), "kmodguard.process.name"));
        Assert.Equal("kmodguard-modte", Str(Only(init), "kmodguard.process.name"));
        JsonElement loaded = records.Last(r => Str(r, "process.pid") == finit);
        Assert.Equal(module, Str(loaded, "file.path"));
        Assert.Equal("53573125af25e0952542b6a7f680c66f821b89b90090ec47695c4c880eeac642", Str(loaded, "kmodguard.module.sha256"));
        Assert.Equal("signed-untrusted", Str(loaded, "kmodguard.signature.status"));
        Assert.Equal("deny", Str(loaded, "kmodguard.verdict"));
        Assert.Equal("would_deny", Str(loaded, "kmodguard.action"));
        Assert.DoesNotContain(Only(init).EnumerateObject(), p => p.Name == "file.path");
        Assert.Contains("memory buffer", Str(Only(init), "kmodguard.file.unresolved_reason"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Rules_list_shows_the_kernel_rules_like_auditctl_and_they_are_exactly_the_printed_ones()
    {
        using AgentProcess agent = StartAgent();
        string auditctl = NativeTools.Run("/usr/sbin/auditctl", "-l").Output;
        string list = NativeTools.Run(AgentProcess.Executable, "rules", "list").Output;
        string print = NativeTools.Run(AgentProcess.Executable, "rules", "print").Output;
        Assert.Equal(auditctl, list);
        Assert.Equal(Lines(print).Order(), Lines(auditctl).Where(l => l.EndsWith("kmodguard", StringComparison.Ordinal)).Order());
        Assert.Equal(0, agent.Stop());

        static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [SkippableFact]
    public void Removing_the_agent_rules_is_reported_as_tampering_and_the_rules_come_back()
    {
        using AgentProcess agent = StartAgent();
        int installed = KernelRulesWithOurKey();
        Assert.True(installed >= 2);

        NativeTools.Run("/usr/sbin/auditctl", "-D");
        agent.WaitForLog("Tampering detected (audit_rules_removed): pid");
        Assert.True(SpinWait.SpinUntil(() => KernelRulesWithOurKey() == installed, TimeSpan.FromSeconds(5)), "the agent did not put its rules back");
        Assert.Equal(0, agent.Stop());
        Assert.Equal(0, KernelRulesWithOurKey());
    }

    [SkippableFact]
    public void A_clean_stop_leaves_the_kernel_as_it_was()
    {
        using var state = new KernelAuditState();
        using (AgentProcess agent = StartAgent())
        {
            Assert.Equal(0, agent.Stop());
        }

        AuditStatus after = state.Control.GetStatus();
        Assert.Equal(0u, after.Pid);
        Assert.Equal(state.Initial.Enabled, after.Enabled);
        Assert.Equal(state.Initial.BacklogLimit, after.BacklogLimit);
        Assert.Equal(state.Initial.BacklogWaitTime, after.BacklogWaitTime);
        Assert.Equal(0, KernelRulesWithOurKey());
    }

    [SkippableFact]
    public void A_stop_during_start_up_still_leaves_the_kernel_as_it_was()
    {
        using var state = new KernelAuditState();
        using (AgentProcess agent = StartAgent("audit mode"))
        {
            Assert.Equal(0, agent.Stop()); // SIGTERM while the session is being set up, before READY
        }

        AuditStatus after = state.Control.GetStatus();
        Assert.Equal(0u, after.Pid);
        Assert.Equal(state.Initial.Enabled, after.Enabled);
        Assert.Equal(0, KernelRulesWithOurKey());
    }

    [SkippableFact]
    public void After_a_killed_agent_the_next_one_takes_over_without_calling_its_own_repairs_tampering()
    {
        using var state = new KernelAuditState();
        using AgentProcess first = StartAgent();
        first.Kill(); // leaves its rules, its settings and its registration behind
        Assert.Equal((uint)first.Pid, state.Control.GetStatus().Pid);

        using AgentProcess second = AgentProcess.Start(null, AgentProcess.RunArguments(_dir));
        second.WaitForLog("started in");
        Assert.Contains(second.Errors, l => l.Contains("audit mode Unicast", StringComparison.Ordinal) && l.Contains("no longer runs", StringComparison.Ordinal));
        Assert.Equal((uint)second.Pid, state.Control.GetStatus().Pid);
        Thread.Sleep(500); // the rule guard's settle time, twice: a false alarm would be logged by now
        Assert.DoesNotContain(second.Errors, l => l.Contains("Tampering detected", StringComparison.Ordinal));

        Assert.Equal(0, second.Stop());
        AuditStatus after = state.Control.GetStatus();
        Assert.Equal(0u, after.Pid);
        Assert.Equal(state.Initial.Enabled, after.Enabled);
        Assert.Equal(state.Initial.BacklogLimit, after.BacklogLimit);
        Assert.Equal(0, KernelRulesWithOurKey());
    }

    [SkippableFact]
    public void Status_answers_from_the_running_agent()
    {
        using AgentProcess agent = StartAgent();
        (int code, string output) = NativeTools.Run(AgentProcess.Executable, "status", "--json", "--socket", Path.Combine(_dir, "run", "status.sock"));
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("running").GetBoolean());
        JsonElement running = doc.RootElement.GetProperty("agent");
        Assert.Equal(agent.Pid, running.GetProperty("pid").GetInt32());
        Assert.Equal("unicast", running.GetProperty("audit").GetProperty("mode").GetString());
        Assert.True(running.GetProperty("audit").GetProperty("rules_installed").GetInt32() >= 2);
        Assert.Equal(0, agent.Stop());
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Without_root_the_agent_says_why_and_exits_2()
    {
        LiveAudit.SkipUnlessAvailable();
        Skip.IfNot(File.Exists("/usr/bin/setpriv"), "needs setpriv (util-linux) to drop root");
        Skip.IfNot(File.Exists(AgentProcess.Executable), "the agent is not built");
        using var agent = new CopyForOtherUsers(Path.GetDirectoryName(AgentProcess.Executable)!);
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ed); // nobody must get as far as the agent's own checks
        (int code, _) = NativeTools.Run("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            agent.Of("kmodguard"), "run", "--config", Path.Combine(_dir, "absent.yaml"), "--state-dir", Path.Combine(_dir, "state"));
        Assert.Equal(2, code);
    }

    private static int KernelRulesWithOurKey()
    {
        using AuditNetlinkSocket socket = AuditNetlinkSocket.Open();
        return new AuditControl(socket).ListRules().Count(r => AuditRuleKeys.Has(r, KmodGuardRuleSet.Key));
    }
}
