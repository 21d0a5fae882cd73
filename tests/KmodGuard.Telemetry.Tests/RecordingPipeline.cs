using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// The OpenTelemetry logging pipeline with a recording exporter in place of OTLP: behind the SDK's batch processor
/// (its default 2,048-record queue, which drops when full) or a simple one that exports each record at once.
/// </summary>
internal sealed class RecordingPipeline : IDisposable
{
    private readonly OpenTelemetrySdk _sdk;

    public RecordingPipeline(bool batched = false)
    {
        _sdk = OpenTelemetrySdk.Create(b => b.WithLogging(l => l
            .AddProcessor(new RecordTimestamps())
            .AddProcessor(batched ? new BatchLogRecordExportProcessor(Exporter) : new SimpleLogRecordExportProcessor(Exporter))));
        Factory = _sdk.GetLoggerFactory();
        Records = Factory.CreateLogger(DecisionLog.Category);
        Agent = Factory.CreateLogger(AgentLog.Category);
    }

    public RecordingExporter Exporter { get; } = new();

    public ILoggerFactory Factory { get; }

    public ILogger Records { get; }

    public ILogger Agent { get; }

    public IReadOnlyList<ExportedRecord> Decisions => [.. Exporter.Records.Where(r => r.EventName == DecisionAttributes.EventName)];

    /// <summary>The SDK's ForceFlush, as the real pipeline passes it to the sink.</summary>
    public bool Flush(int milliseconds) => _sdk.LoggerProvider.ForceFlush(milliseconds);

    public OtlpDecisionSink Sink(TelemetrySettings settings, DecisionSpill? spill = null, Func<int, bool>? flush = null) =>
        new(Records, Agent, flush ?? Flush, spill, settings);

    public void Dispose() => _sdk.Dispose();
}
