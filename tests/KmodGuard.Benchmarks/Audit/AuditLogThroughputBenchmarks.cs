using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Replay;

namespace KmodGuard.Benchmarks.Audit;

/// <summary>
/// Records per second over the same ≥100 MB log of real records: Debian's libauparse (native/linux/auparse_bench walks
/// every event, record and field: the baseline) against KmodGuard's parser walking every field plus event assembly,
/// and against the whole replay pipeline (assembly, mapping to activities). One invocation reads the whole file.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class AuditLogThroughputBenchmarks
{
    private const long LogBytes = 100L * 1024 * 1024;

    private string _log = "";
    private string _auparseBench = "";

    [GlobalSetup]
    public void Setup()
    {
        _log = BenchmarkAuditLog.Ensure(LogBytes);
        _auparseBench = Path.Combine(BenchmarkAuditLog.RepositoryRoot(), "artifacts", "native", "linux", "auparse_bench");
        if (!File.Exists(_auparseBench))
        {
            throw new InvalidOperationException($"{_auparseBench} is missing: build it with ./build.sh build (needs libauparse-dev)");
        }

        long ours = ParseAndAssemble();
        long theirs = Libauparse();
        Console.WriteLine($"// {_log}: {new FileInfo(_log).Length} bytes, {ours} records (KmodGuard), {theirs} records (libauparse)");
        if (ours != theirs)
        {
            throw new InvalidOperationException($"record counts differ: KmodGuard {ours}, libauparse {theirs}");
        }
    }

    [Benchmark(Baseline = true, Description = "libauparse: every record and field")]
    public long Libauparse()
    {
        var start = new ProcessStartInfo(_auparseBench) { RedirectStandardOutput = true, ArgumentList = { _log } };
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        int at = output.IndexOf("records=", StringComparison.Ordinal) + 8;
        return long.Parse(output.AsSpan(at, output.IndexOf(' ', at) - at), CultureInfo.InvariantCulture);
    }

    [Benchmark(Description = "KmodGuard: every record and field, events assembled")]
    public long ParseAndAssemble()
    {
        var counter = new CountingHandler();
        var assembler = new AuditEventAssembler(counter, new AuditAssemblyOptions { UseRecordTime = true });
        long records = 0;
        using var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var reader = new AuditLogLineReader(file);
        while (reader.TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (AuditRecordParser.TryParseLogLine(line, out AuditRecord record) != AuditParseError.None)
            {
                continue;
            }

            // libauparse walks auditd's ENRICHED fields too.
            foreach (AuditField f in record.Fields)
            {
                counter.Fields += f.Name.Length + f.RawValue.Length;
            }

            foreach (AuditField f in new AuditFieldEnumerator(record.Enrichment))
            {
                counter.Fields += f.Name.Length + f.RawValue.Length;
            }

            assembler.Push(in record);
            records++;
        }

        assembler.Flush();
        return records;
    }

    [Benchmark(Description = "KmodGuard: replay pipeline (assembly, activities)")]
    public long ReplayPipeline()
    {
        var sink = new CountingSink();
        var replay = new AuditLogReplay(sink);
        using var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        replay.Replay(_log, file);
        replay.Finish();
        return replay.Counters.Records;
    }

    private sealed class CountingHandler : IAssembledEventHandler
    {
        public long Fields { get; set; }

        public long Events { get; private set; }

        public void OnEvent(AuditEvent auditEvent) => Events++;

        public void OnSerialsLost(uint first, uint last, long count)
        {
        }
    }

    private sealed class CountingSink : IAuditEventSink
    {
        public long Activities { get; private set; }

        public void OnActivity(ModuleActivity activity) => Activities++;

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
