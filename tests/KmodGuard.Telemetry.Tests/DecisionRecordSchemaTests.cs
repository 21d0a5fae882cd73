using System.Text.Json;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry.Tests;

/// <summary>One schema, two encodings: the OTLP record carries exactly the console JSON line's keys, types and values.</summary>
public class DecisionRecordSchemaTests
{
    public static TheoryData<string> Samples => ["linux-allow", "linux-deny", "mac-allow", "mac-deny", "minimal", "hostile", "unload-failed"];

    private static (ModuleActivity, Decision) Sample(string name) => name switch
    {
        "linux-allow" => SampleDecisions.LinuxAllow(),
        "linux-deny" => SampleDecisions.LinuxDeny(),
        "mac-allow" => SampleDecisions.MacAllow(),
        "mac-deny" => SampleDecisions.MacDeny(),
        "minimal" => (new ModuleActivity { Platform = Platform.Linux, Operation = ModuleOperation.Unload, ReceiveTime = SampleDecisions.Time },
            new Decision { Verdict = Verdict.Allow, Severity = Severity.Info, Reason = "default", Mode = PolicyMode.Monitor, Techniques = [] }),
        "hostile" => (SampleDecisions.LinuxDeny().Activity with { Module = new ModuleFacts { Name = "evil\n{OriginalFormat}\u001b[2J", FilePath = "/tmp/\"x\".ko" } }, SampleDecisions.LinuxDeny().Decision),
        "unload-failed" => (SampleDecisions.LinuxDeny().Activity, SampleDecisions.LinuxDeny().Decision with { Action = EnforcementAction.UnloadFailed, ActionError = "EBUSY" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Otlp_record_and_console_line_have_the_same_keys_types_and_values(string sample)
    {
        (ModuleActivity activity, Decision decision) = Sample(sample);
        using var pipeline = new RecordingPipeline();
        DecisionLog.Write(pipeline.Records, new PendingDecision(activity, decision));
        ExportedRecord otlp = Assert.Single(pipeline.Decisions);
        using JsonDocument json = JsonDocument.Parse(DecisionRecordWriter.ToJson(activity, decision));
        JsonElement line = json.RootElement;

        Assert.Equal(line.GetProperty("event_name").GetString(), otlp.EventName);
        Assert.Equal(line.GetProperty("severity_text").GetString(), DecisionLogLevel.TextOf(otlp.Level));
        Assert.Equal(line.GetProperty("body").GetString(), otlp.Body);
        Assert.Equal(line.GetProperty("timestamp").GetDateTimeOffset().UtcDateTime, otlp.Timestamp);
        Assert.Equal(line.GetProperty("observed_timestamp").GetDateTimeOffset().UtcDateTime, otlp.ObservedTimestamp);
        Assert.False(otlp.HasOriginalFormat && otlp.Attributes.Any(a => a.Key == "{OriginalFormat}"));

        string[] envelope = ["timestamp", "observed_timestamp", "severity_text", "event_name", "body"];
        var expected = line.EnumerateObject().Where(p => !envelope.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.Clone());
        Assert.Equal(expected.Keys.Order(), otlp.Attributes.Select(a => a.Key).Order());
        foreach ((string key, object? value) in otlp.Attributes)
        {
            JsonElement e = expected[key];
            switch (value)
            {
                case string s:
                    Assert.Equal(JsonValueKind.String, e.ValueKind);
                    Assert.Equal(e.GetString(), s);
                    break;
                case long l:
                    Assert.Equal(e.GetInt64(), l);
                    break;
                case bool b:
                    Assert.Equal(b ? JsonValueKind.True : JsonValueKind.False, e.ValueKind);
                    break;
                case string[] array:
                    Assert.Equal(e.EnumerateArray().Select(x => x.GetString()), array);
                    break;
                default:
                    Assert.Fail($"{key}: unexpected attribute type {value?.GetType().Name ?? "null"}");
                    break;
            }
        }
    }

    [Fact]
    public void Required_keys_are_present_with_semantic_convention_types()
    {
        using JsonDocument linux = JsonDocument.Parse(DecisionRecordWriter.ToJson(SampleDecisions.LinuxDeny().Activity, SampleDecisions.LinuxDeny().Decision));
        JsonElement r = linux.RootElement;
        string[] strings = ["kmodguard.verdict", "kmodguard.action", "kmodguard.mode", "kmodguard.rule.id", "kmodguard.reason", "kmodguard.operation",
            "kmodguard.module.name", "kmodguard.module.sha256", "kmodguard.signature.status", "file.path", "process.executable.path",
            "process.executable.name", "process.command_line", "user.id", "user.name", "container.id", "threat.framework", "os.type",
            "kmodguard.linux.syscall", "kmodguard.linux.errno"];
        foreach (string key in strings)
        {
            Assert.True(r.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String, key);
        }

        foreach (string key in new[] { "process.pid", "process.parent_pid", "kmodguard.linux.auid", "kmodguard.linux.session" })
        {
            Assert.True(r.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number, key);
        }

        Assert.Equal(JsonValueKind.Array, r.GetProperty("threat.technique.id").ValueKind);
        Assert.Equal("MITRE ATT&CK", r.GetProperty("threat.framework").GetString());

        using JsonDocument mac = JsonDocument.Parse(DecisionRecordWriter.ToJson(SampleDecisions.MacDeny().Activity, SampleDecisions.MacDeny().Decision));
        JsonElement m = mac.RootElement;
        Assert.Equal("com.apple.kmutil", m.GetProperty("kmodguard.macos.signing_id").GetString());
        Assert.Equal("EVIL123456", m.GetProperty("kmodguard.macos.team_id").GetString());
        Assert.Equal(JsonValueKind.False, m.GetProperty("kmodguard.macos.platform_binary").ValueKind);
        Assert.Equal(7, m.GetProperty("kmodguard.macos.message_version").GetInt32());
        Assert.Equal("Developer ID Application: Evil Corp (EVIL123456)", m.GetProperty("kmodguard.signature.signer").GetString());
        Assert.Equal("darwin", m.GetProperty("os.type").GetString());
    }

    [Theory]
    [InlineData(Verdict.Allow, null, EnforcementAction.None, null, LogLevel.Information)]
    [InlineData(Verdict.Allow, RuleAction.Alert, EnforcementAction.None, null, LogLevel.Warning)]
    [InlineData(Verdict.Deny, RuleAction.Deny, EnforcementAction.WouldDeny, null, LogLevel.Warning)]
    [InlineData(Verdict.Deny, RuleAction.Deny, EnforcementAction.Blocked, null, LogLevel.Warning)]
    [InlineData(Verdict.Deny, RuleAction.Deny, EnforcementAction.UnloadFailed, "EBUSY", LogLevel.Error)]
    [InlineData(Verdict.Deny, RuleAction.Deny, EnforcementAction.KilledLoader, "ESRCH", LogLevel.Error)]
    public void Severity_follows_the_verdict_and_the_enforcement_outcome(Verdict verdict, RuleAction? rule, EnforcementAction action, string? error, LogLevel expected)
    {
        var decision = new Decision { Verdict = verdict, RuleAction = rule, Action = action, ActionError = error, Severity = Severity.Info, Reason = "r", Mode = PolicyMode.Enforce, Techniques = [] };
        Assert.Equal(expected, DecisionLogLevel.Of(decision));
    }
}
