using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Benchmarks.Audit;

/// <summary>
/// Per record and per event, with allocations. The peer in each category is the usual way to read audit text:
/// go-libaudit's key=value regular expression (auparse.extractKeyValuePairs) run on the record as a string, measured in
/// the same run. KmodGuard's parser walks every field too; the assembler and the pipeline must allocate nothing per
/// record once warm (a module activity itself is the only allocation, measured separately).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class AuditRecordBenchmarks
{
    private static readonly byte[] SyscallPayload = Encoding.UTF8.GetBytes(
        "audit(1795855351.849:18): arch=c000003e syscall=313 success=no exit=-38 a0=3 a1=5579c02432a0 a2=0 a3=3 items=0 ppid=12592 pid=12636 "
        + "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"module-load\"");

    private static readonly byte[] EnrichedLine = Encoding.UTF8.GetBytes(
        "node=vm type=SYSCALL msg=audit(1795855372.453:31): arch=c000003e syscall=313 success=no exit=-38 a0=5 a1=7f0c3cb508c8 a2=0 a3=0 items=0 ppid=13528 "
        + "pid=13571 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=6576696C206C6F61646572 "
        + "exe=\"/opt/capture/python-3.11.7.x/bin/python3.11\" key=\"module-load\"\u001dARCH=x86_64 SYSCALL=finit_module AUID=\"unset\" UID=\"root\" GID=\"root\" "
        + "EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"");

    private static readonly byte[] KernModulePayload = "audit(1795855351.849:18): name=\"dummy\""u8.ToArray();
    private static readonly byte[] ProctitlePayload = "audit(1795855351.849:18): proctitle=696E736D6F64002F746D702F6B67742F66616B652E6B6F00666F6F3D626172"u8.ToArray();
    private static readonly byte[] EoePayload = "audit(1795855351.849:18): "u8.ToArray();

    /// <summary>A getppid-style event: what a syscall flood looks like (no module activity).</summary>
    private static readonly byte[] OtherSyscallPayload = Encoding.UTF8.GetBytes(
        "audit(1795855351.849:18): arch=c000003e syscall=110 success=yes exit=1 a0=0 a1=0 a2=0 a3=0 items=0 ppid=1 pid=4242 auid=4294967295 uid=0 gid=0 "
        + "euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"flood\" exe=\"/usr/bin/flood\" key=\"other\"");

    private readonly string _syscallText = Encoding.UTF8.GetString(SyscallPayload);
    private readonly string _enrichedText = Encoding.UTF8.GetString(EnrichedLine);
    private readonly byte[][] _eventPayloads = [SyscallPayload, KernModulePayload, ProctitlePayload, EoePayload];
    private readonly int[] _eventTypes = [1300, 1330, 1327, 1320];
    private readonly byte[][] _serialised = new byte[4][];
    private AuditEventAssembler _assembler = null!;
    private AuditPipeline _pipeline = null!;
    private uint _serial;

    [GeneratedRegex("""([a-z0-9_-]+)=((?:[^"'\s]+)|'(?:\\'|[^'])*'|"(?:\\"|[^"])*")""")]
    private static partial Regex KeyValue();

    [GlobalSetup]
    public void Setup()
    {
        _assembler = new AuditEventAssembler(new NullHandler());
        _pipeline = new AuditPipeline(new NullSink());
    }

    [Benchmark(Baseline = true, Description = "regex (go-libaudit)")]
    [BenchmarkCategory("netlink SYSCALL record")]
    public int RegexSyscall() => RegexFields(_syscallText);

    [Benchmark(Description = "KmodGuard parser")]
    [BenchmarkCategory("netlink SYSCALL record")]
    public int ParseSyscall()
    {
        AuditRecordParser.TryParseNetlink(1300, SyscallPayload, out AuditRecord r);
        return WalkFields(r);
    }

    [Benchmark(Baseline = true, Description = "regex (go-libaudit)")]
    [BenchmarkCategory("ENRICHED log line")]
    public int RegexEnriched() => RegexFields(_enrichedText);

    [Benchmark(Description = "KmodGuard parser")]
    [BenchmarkCategory("ENRICHED log line")]
    public int ParseEnriched()
    {
        AuditRecordParser.TryParseLogLine(EnrichedLine, out AuditRecord r);
        return WalkFields(r);
    }

    [Benchmark(Baseline = true, Description = "regex (go-libaudit), 4 records")]
    [BenchmarkCategory("module event: SYSCALL, KERN_MODULE, PROCTITLE, EOE")]
    public int RegexEvent() => RegexFields(_syscallText) + RegexFields("name=\"dummy\"") + RegexFields("proctitle=696E736D6F64002F746D702F6B67742F66616B652E6B6F00666F6F3D626172");

    [Benchmark(Description = "KmodGuard parse + assemble")]
    [BenchmarkCategory("module event: SYSCALL, KERN_MODULE, PROCTITLE, EOE")]
    public int ParseAndAssembleEvent()
    {
        int fields = 0;
        uint serial = ++_serial;
        for (int i = 0; i < _eventTypes.Length; i++)
        {
            AuditRecordParser.TryParseNetlink(_eventTypes[i], WithSerial(i, serial), out AuditRecord r);
            fields += WalkFields(r);
            _assembler.Push(in r);
        }

        return fields;
    }

    [Benchmark(Description = "KmodGuard pipeline, activity built")]
    [BenchmarkCategory("module event: SYSCALL, KERN_MODULE, PROCTITLE, EOE")]
    public long PipelineModuleEvent()
    {
        uint serial = ++_serial;
        for (int i = 0; i < _eventTypes.Length; i++)
        {
            _pipeline.PushNetlink(_eventTypes[i], WithSerial(i, serial));
        }

        return _pipeline.Counters.Activities;
    }

    [Benchmark(Baseline = true, Description = "regex (go-libaudit), 3 records")]
    [BenchmarkCategory("other syscall event: SYSCALL, PROCTITLE, EOE")]
    public int RegexOtherEvent() => RegexFields(Encoding.UTF8.GetString(OtherSyscallPayload)) + RegexFields("proctitle=\"flood\"");

    [Benchmark(Description = "KmodGuard pipeline")]
    [BenchmarkCategory("other syscall event: SYSCALL, PROCTITLE, EOE")]
    public long PipelineOtherEvent()
    {
        uint serial = ++_serial;
        _pipeline.PushNetlink(1300, Serialised(OtherSyscallPayload, serial, 0));
        _pipeline.PushNetlink(1327, Serialised("audit(1795855351.849:18): proctitle=\"flood\""u8, serial, 1));
        _pipeline.PushNetlink(1320, Serialised(EoePayload, serial, 2));
        return _pipeline.Counters.Events;
    }

    private static int WalkFields(AuditRecord r)
    {
        int n = 0;
        foreach (AuditField f in r.Fields)
        {
            n += f.Name.Length + f.RawValue.Length;
        }

        return n;
    }

    private static int RegexFields(string text)
    {
        int n = 0;
        foreach (Match m in KeyValue().Matches(text))
        {
            n += m.Groups[1].Length + m.Groups[2].Length;
        }

        return n;
    }

    private ReadOnlySpan<byte> WithSerial(int index, uint serial) => Serialised(_eventPayloads[index], serial, index);

    /// <summary>The payload with a fresh serial, written into a reused buffer (the live reader's receive buffer).</summary>
    private ReadOnlySpan<byte> Serialised(ReadOnlySpan<byte> payload, uint serial, int slot)
    {
        int colon = payload.IndexOf((byte)':');
        int close = payload.IndexOf("):"u8);
        byte[] buffer = _serialised[slot] ??= new byte[payload.Length + 16];
        payload[..(colon + 1)].CopyTo(buffer);
        System.Buffers.Text.Utf8Formatter.TryFormat(serial, buffer.AsSpan(colon + 1), out int written);
        int at = colon + 1 + written;
        payload[close..].CopyTo(buffer.AsSpan(at));
        return buffer.AsSpan(0, at + payload.Length - close);
    }

    private sealed class NullHandler : IAssembledEventHandler
    {
        public void OnEvent(AuditEvent auditEvent)
        {
        }

        public void OnSerialsLost(uint first, uint last, long count)
        {
        }
    }

    private sealed class NullSink : IAuditEventSink
    {
        public void OnActivity(ModuleActivity activity)
        {
        }

        public void OnConfigChange(AuditConfigChange change)
        {
        }

        public void OnSerialsLost(AuditSerialGap gap)
        {
        }

        public void OnMalformedRecord(AuditMalformedRecord record)
        {
        }
    }
}
