using System.Text.Json;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Core.Tests;

public class DecisionRecordWriterTests
{
    private static readonly CompiledPolicy Policy = DefaultPolicy.Load();

    private static ModuleActivity LinuxLoad() => Activities.Load(path: "/tmp/x.ko", name: "x") with
    {
        Id = "audit:1764324000.123:42",
        Source = new LinuxAuditSource { SyscallName = "finit_module", SyscallNumber = 313, Arch = "x86_64", Success = false, Exit = -38, Errno = "ENOSYS", Serial = 42 },
    };

    [Fact]
    public void Json_line_has_typed_attributes_and_the_envelope()
    {
        ModuleActivity a = LinuxLoad();
        Decision d = Policy.Decide(a);
        using JsonDocument doc = JsonDocument.Parse(DecisionRecordWriter.ToJson(a, d));
        JsonElement r = doc.RootElement;
        Assert.Equal("kmodguard.module.decision", r.GetProperty("event_name").GetString());
        Assert.Equal("Warning", r.GetProperty("severity_text").GetString());
        Assert.Equal("Would deny load of module 'x' from /tmp/x.ko by insmod (pid 4242): rule deny-world-writable-paths", r.GetProperty("body").GetString());
        Assert.Equal("deny", r.GetProperty("kmodguard.verdict").GetString());
        Assert.Equal("would_deny", r.GetProperty("kmodguard.action").GetString());
        Assert.Equal("monitor", r.GetProperty("kmodguard.mode").GetString());
        Assert.Equal("deny-world-writable-paths", r.GetProperty("kmodguard.rule.id").GetString());
        Assert.Equal(4242, r.GetProperty("process.pid").GetInt32());
        Assert.Equal("0", r.GetProperty("user.id").GetString()); // a string, as in the semantic conventions
        Assert.Equal("kmod", r.GetProperty("process.executable.name").GetString());
        Assert.Equal(JsonValueKind.False, r.GetProperty("kmodguard.container").ValueKind);
        Assert.Equal(["T1547.006"], r.GetProperty("threat.technique.id").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("MITRE ATT&CK", r.GetProperty("threat.framework").GetString());
        Assert.Equal("linux", r.GetProperty("os.type").GetString());
        Assert.Equal("finit_module", r.GetProperty("kmodguard.linux.syscall").GetString());
        Assert.Equal(-38, r.GetProperty("kmodguard.linux.exit").GetInt32());
        Assert.Equal("ENOSYS", r.GetProperty("kmodguard.linux.errno").GetString());
    }

    [Fact]
    public void Unknown_facts_are_omitted_not_defaulted()
    {
        ModuleActivity a = new() { Platform = Platform.Linux, Operation = ModuleOperation.Load, ReceiveTime = Activities.Time };
        using JsonDocument doc = JsonDocument.Parse(DecisionRecordWriter.ToJson(a, Policy.Decide(a)));
        JsonElement r = doc.RootElement;
        foreach (string key in new[] { "process.pid", "user.id", "file.path", "kmodguard.module.name", "kmodguard.container", "container.id" })
        {
            Assert.False(r.TryGetProperty(key, out _), key);
        }

        Assert.Equal("unknown", r.GetProperty("kmodguard.signature.status").GetString());
    }

    [Fact]
    public void Hostile_names_cannot_forge_lines()
    {
        ModuleActivity a = Activities.Load(name: "evil\nkmodguard.verdict=allow\u001b[2J", path: "/tmp/\"x\".ko");
        Decision d = Policy.Decide(a);
        string json = DecisionRecordWriter.ToJson(a, d);
        Assert.DoesNotContain('\n', json);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("evil\nkmodguard.verdict=allow\u001b[2J", doc.RootElement.GetProperty("kmodguard.module.name").GetString());
        string text = DecisionRecordWriter.ToText(a, d);
        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("evil\\x0akmodguard", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_line_is_readable()
    {
        ModuleActivity a = LinuxLoad();
        string text = DecisionRecordWriter.ToText(a, Policy.Decide(a));
        Assert.Equal("2026-11-28T10:00:00.000Z DENY would_deny load x /tmp/x.ko insmod[4242] uid=0 sig=signed-trusted rule=deny-world-writable-paths", text);
    }

    [Fact]
    public void Writer_emits_one_line_per_decision()
    {
        var output = new StringWriter();
        var writer = new DecisionRecordWriter(output, DecisionRecordFormat.Json);
        ModuleActivity a = LinuxLoad();
        writer.Write(a, Policy.Decide(a));
        writer.Write(a, Policy.Decide(a));
        Assert.Equal(2, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_record_line_reads_back_as_the_same_activity_for_policy_purposes()
    {
        ModuleActivity a = Activities.Load(path: "/opt/x.ko", signature: SignatureStatus.Unsigned, container: ContainerContext.Container("abc", "docker"), parentExe: "/usr/sbin/dkms", sha256: new string('e', 64), signer: "Build time autogenerated kernel key");
        string json = DecisionRecordWriter.ToJson(a, Policy.Decide(a));
        ModuleActivity back = ActivityRecordReader.Read(json);
        Assert.Equal(a.Platform, back.Platform);
        Assert.Equal(a.Operation, back.Operation);
        Assert.Equal(a.Module.Name, back.Module.Name);
        Assert.Equal(a.Module.FilePath, back.Module.FilePath);
        Assert.Equal(a.Module.Sha256, back.Module.Sha256);
        Assert.Equal(a.Module.SignatureStatus, back.Module.SignatureStatus);
        Assert.Equal(a.Module.Signer, back.Module.Signer);
        Assert.Equal(a.Process.Name, back.Process.Name);
        Assert.Equal(a.Process.ExecutablePath, back.Process.ExecutablePath);
        Assert.Equal(a.Process.ParentExecutablePath, back.Process.ParentExecutablePath);
        Assert.Equal(a.Process.UserId, back.Process.UserId);
        Assert.Equal(a.Container, back.Container);
        Assert.Equal(Policy.Evaluate(a), Policy.Evaluate(back));
    }

    [Theory]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"os.type\": \"windows\"}", "expected linux or darwin")]
    [InlineData("{\"kmodguard.operation\": \"insert\"}", "expected load, unload or persistence_change")]
    [InlineData("{\"process.pid\": \"12\"}", "'process.pid' must be an integer")]
    [InlineData("{\"kmodguard.container\": 1}", "'kmodguard.container' must be true or false")]
    public void Bad_activity_json_is_a_clear_error(string json, string message)
    {
        FormatException e = Assert.Throws<FormatException>(() => ActivityRecordReader.Read(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
