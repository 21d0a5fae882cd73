using System.Globalization;
using System.Text.Json;
using KmodGuard.Core.Telemetry;
using Xunit.Abstractions;

namespace KmodGuard.E2E.Tests;

/// <summary>
/// The issue 4 scenarios as the agent's decision records tell them (keys from <see cref="AttributeNames"/>), checked
/// against /proc/modules in the guest. Skipped until artifacts/publish/kmodguard has a <c>run</c> command.
/// </summary>
[Collection(GuestCollection.Name)]
public sealed class AgentScenarioTests(GuestFixture guest, ITestOutputHelper output)
{
    /// <summary>The run, once the agent in <paramref name="mode"/> (enforce or monitor) was up; skipped without an agent.</summary>
    private GuestRun RequireAgent(string mode = "enforce")
    {
        GuestRun run = guest.Require();
        Skip.IfNot(run.AgentPresent, "artifacts/publish/kmodguard is not built (./build.sh e2e publishes it)");
        Skip.IfNot(run.AgentRuns, "the published kmodguard has no 'run' command yet");
        Scenario start = run[$"agent-{mode}"];
        Assert.True(start.Value("agent_ready") is not null,
            $"the agent ({mode} mode) never recorded its probe unload; its stderr:\n{string.Join('\n', start.Values("agent_stderr"))}");
        return run;
    }

    private static string? Str(JsonElement record, string key) =>
        record.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// The one activity of the scenario for this operation (and module name), as its last record tells it: the decision,
    /// or the update that completed it when enrichment outlived its budget (always, on this emulated CPU).
    /// </summary>
    private static JsonElement Record(Scenario s, string operation, string? module = null, Func<JsonElement, bool>? where = null)
    {
        JsonElement[] matches = Records(s, operation, r => (module is null || Str(r, AttributeNames.ModuleName) == module) && (where?.Invoke(r) ?? true));
        Assert.True(matches.Length == 1, $"scenario {s.Name}: expected one {operation} record{(module is null ? "" : $" for '{module}'")}, found {matches.Length} among:\n" +
            string.Join('\n', s.Records.Select(r => r.GetRawText())));
        return matches[0];
    }

    /// <summary>The scenario's activities of this operation that satisfy <paramref name="where"/>, each as its last record tells it.</summary>
    private static JsonElement[] Records(Scenario s, string operation, Func<JsonElement, bool> where) => s.Records
        .GroupBy(r => Str(r, AttributeNames.ActivityId) ?? r.GetRawText())
        .Where(g => g.Any(r => !r.TryGetProperty(AttributeNames.Update, out _))) // late updates of earlier scenarios' activities are theirs
        .Select(g => g.Last())
        .Where(r => Str(r, AttributeNames.Operation) == operation && where(r))
        .ToArray();

    private static bool Successful(JsonElement r) => !r.TryGetProperty(AttributeNames.LinuxSuccess, out JsonElement v) || v.ValueKind == JsonValueKind.True;

    [SkippableTheory]
    [InlineData("insmod-signed")]
    [InlineData("modprobe-signed")]
    public void An_allowed_signed_module_is_decided_allow_signed_trusted_with_its_file_and_stays(string scenario)
    {
        GuestRun run = RequireAgent();
        Scenario s = run[scenario];
        JsonElement r = Record(s, "load", "dummy", Successful);
        Assert.Equal("allow", Str(r, AttributeNames.Verdict));
        Assert.Equal("signed-trusted", Str(r, AttributeNames.SignatureStatus));
        Assert.Equal(run.Env["DUMMY_PATH"], Str(r, AttributeNames.FilePath));
        Assert.Equal(run.Env["DUMMY_SHA256"], Str(r, AttributeNames.ModuleSha256));
        Assert.Equal("none", Str(r, AttributeNames.Action));
        Assert.Equal(["dummy"], s.LoadedAt("after"));
    }

    [SkippableFact]
    public void Rmmod_is_an_unload_with_the_right_name_and_a_name_with_a_space_arrives_decoded()
    {
        Scenario s = RequireAgent()["rmmod-names"];
        Record(s, "unload", "dummy");
        JsonElement spaced = Record(s, "unload", "evil mod");
        Assert.Equal("ENOENT", Str(spaced, AttributeNames.LinuxErrno));
    }

    [SkippableFact]
    public void A_module_from_tmp_is_denied_in_enforce_mode_and_gone_within_a_second()
    {
        GuestRun run = RequireAgent();
        Scenario s = run["enforce-tmp"];
        JsonElement r = Record(s, "load", "dummy", Successful);
        Assert.Equal("deny", Str(r, AttributeNames.Verdict));
        Assert.Equal("enforce", Str(r, AttributeNames.Mode));
        Assert.Equal("deny-world-writable-paths", Str(r, AttributeNames.RuleId));
        Assert.Contains("deny-world-writable-paths", Str(r, AttributeNames.Reason), StringComparison.Ordinal);
        Assert.Equal("/tmp/dummy.ko", Str(r, AttributeNames.FilePath));
        Assert.Equal("unloaded", Str(r, AttributeNames.Action));
        Assert.Equal("yes", s.Value("gone"));
        Assert.Empty(s.LoadedAt("after"));

        TimeSpan gone = UnloadLatency(s);
        output.WriteLine($"deny -> gone from /proc/modules: {gone.TotalMilliseconds:F1} ms after insmod started (kernel clock, 2 ms polling)");
        Assert.True(gone < TimeSpan.FromSeconds(1), $"the denied module stayed {gone.TotalMilliseconds:F0} ms");
    }

    [SkippableFact]
    public void A_tampered_copy_is_invalid_and_never_stays_loaded()
    {
        Scenario s = RequireAgent()["tampered"];
        // busybox insmod tries finit_module, and after the kernel's refusal init_module with the file's bytes: every
        // attempt must be judged on the tampered file.
        JsonElement[] attempts = Records(s, "load", x => Str(x, AttributeNames.FilePath)?.EndsWith("/dummy-tampered.ko", StringComparison.Ordinal) == true);
        Assert.NotEmpty(attempts);
        Assert.All(attempts, r =>
        {
            Assert.Equal("invalid", Str(r, AttributeNames.SignatureStatus));
            Assert.Equal("deny", Str(r, AttributeNames.Verdict));
            // The kernel refused it (EKEYREJECTED): nothing to unload. Had it loaded, the agent must have unloaded it.
            Assert.Contains(Str(r, AttributeNames.Action), new[] { "none", "unloaded" });
        });
        Assert.Empty(s.LoadedAt("after"));
    }

    [SkippableFact]
    public void An_unsigned_module_is_denied_unloaded_and_carries_the_kernels_message_and_taint()
    {
        Scenario s = RequireAgent()["unsigned"];
        JsonElement r = Record(s, "load", "dummy", Successful);
        Assert.Equal("unsigned", Str(r, AttributeNames.SignatureStatus));
        Assert.Equal("deny", Str(r, AttributeNames.Verdict));
        Assert.Equal("unloaded", Str(r, AttributeNames.Action));
        Assert.Contains(r.GetProperty(AttributeNames.KernelMessages).EnumerateArray(), m =>
            m.GetString() == "dummy: module verification failed: signature and/or required key missing - tainting kernel");
        Assert.Contains("E", Str(r, AttributeNames.KernelTaint), StringComparison.Ordinal);
        Assert.Empty(s.LoadedAt("after"));
    }

    [SkippableFact]
    public void A_load_from_a_memory_buffer_has_no_path_says_why_and_is_still_decided()
    {
        Scenario s = RequireAgent()["memory-buffer"];
        JsonElement r = Record(s, "load", where: x => Str(x, AttributeNames.LinuxSyscall) == "init_module");
        Assert.False(r.TryGetProperty(AttributeNames.FilePath, out _));
        Assert.False(string.IsNullOrEmpty(Str(r, AttributeNames.FileUnresolvedReason)));
        Assert.Contains(Str(r, AttributeNames.Verdict), new[] { "allow", "deny" });
        Assert.Equal("dummy", Str(r, AttributeNames.ModuleName));
    }

    [SkippableFact]
    public void A_write_to_modules_load_d_is_a_recorded_persistence_change()
    {
        Scenario s = RequireAgent()["persistence"];
        JsonElement r = Record(s, "persistence_change", where: x => Str(x, AttributeNames.FilePath) == "/etc/modules-load.d/x.conf");
        Assert.NotNull(Str(r, AttributeNames.Verdict));
    }

    [SkippableFact]
    public void Monitor_mode_records_would_deny_and_the_module_stays()
    {
        Scenario s = RequireAgent("monitor")["monitor-tmp"];
        JsonElement r = Record(s, "load", "dummy", Successful);
        Assert.Equal("deny", Str(r, AttributeNames.Verdict));
        Assert.Equal("monitor", Str(r, AttributeNames.Mode));
        Assert.Equal("would_deny", Str(r, AttributeNames.Action));
        Assert.Equal(["dummy"], s.LoadedAt("after"));
    }

    /// <summary>From the guest's kernel-log marks: "insmod ..." just before insmod, "gone-check dummy gone" once /proc/modules no longer lists it.</summary>
    private static TimeSpan UnloadLatency(Scenario s)
    {
        static double Seconds(string line) => double.Parse(line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)].Trim(), CultureInfo.InvariantCulture);
        string start = s.KernelLog.Single(l => l.Contains("kmodguard-e2e: insmod", StringComparison.Ordinal));
        string gone = s.KernelLog.Single(l => l.Contains("kmodguard-e2e: gone-check dummy gone", StringComparison.Ordinal));
        return TimeSpan.FromSeconds(Seconds(gone) - Seconds(start));
    }
}
