using BenchmarkDotNet.Attributes;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Telemetry;
using KmodGuard.Tests.Shared;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace KmodGuard.Benchmarks;

/// <summary>
/// Recording one decision for OpenTelemetry. "record (calling thread)" is what the decision path pays:
/// <see cref="OtlpDecisionSink.Record"/>, with the export thread held back so it does not share the CPU (it is
/// released between iterations to empty the queue). Peers in the same run: the console JSON line of the same
/// decision, a plain source-generated ILogger call into the same OpenTelemetry SDK, and the export thread's own
/// work per decision (the tagged log record), which bounds throughput.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public partial class DecisionRecordingBenchmarks
{
    private const int PerIteration = 1_000_000;
    private readonly ManualResetEventSlim _exportGate = new(false);
    private (ModuleActivity Activity, Decision Decision) _deny;
    private ILoggerFactory _factory = null!;
    private ILogger _records = null!;
    private ILogger _plain = null!;
    private OtlpDecisionSink _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        _deny = SampleDecisions.LinuxDeny();
        _factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.AddProcessor(new RecordTimestamps());
            o.AddProcessor(new BatchLogRecordExportProcessor(new DiscardingExporter()));
        }));
        _records = _factory.CreateLogger(DecisionLog.Category);
        _plain = _factory.CreateLogger("Plain");
        var settings = new TelemetrySettings { QueueCapacity = PerIteration * 2, StopTimeout = TimeSpan.FromMinutes(1) };
        _sink = new OtlpDecisionSink(_records, _factory.CreateLogger(AgentLog.Category), _ => _exportGate.Wait(TimeSpan.FromSeconds(1)), spill: null, settings);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exportGate.Set();
        _sink.Dispose();
        _factory.Dispose();
        _exportGate.Dispose();
    }

    [IterationCleanup(Target = nameof(Record))]
    public void DrainQueue()
    {
        _exportGate.Set();
        SpinWait.SpinUntil(() => _sink.Queued == 0);
        _exportGate.Reset();
    }

    [Benchmark(Description = "record (calling thread)", OperationsPerInvoke = PerIteration)]
    [InvocationCount(1)]
    public void Record()
    {
        for (int i = 0; i < PerIteration; i++)
        {
            _sink.Record(_deny.Activity, _deny.Decision);
        }
    }

    [Benchmark(Baseline = true, Description = "peer: console JSON line")]
    public string ConsoleJson() => DecisionRecordWriter.ToJson(_deny.Activity, _deny.Decision);

    [Benchmark(Description = "peer: plain ILogger call (3 tags)")]
    public void PlainLoggerCall() => Plain(_plain, "evil_rk", 31337, "deny");

    [Benchmark(Description = "export thread: tagged log record")]
    public void ExportThreadRecord() => DecisionLog.Write(_records, new PendingDecision(_deny.Activity, _deny.Decision));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {Module} loaded by {Pid}: {Verdict}")]
    private static partial void Plain(ILogger logger, string module, int pid, string verdict);

    private sealed class DiscardingExporter : BaseExporter<LogRecord>
    {
        public override ExportResult Export(in Batch<LogRecord> batch) => ExportResult.Success;
    }
}
