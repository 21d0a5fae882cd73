using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace KmodGuard.Telemetry.Tests;

/// <summary>The OpenTelemetry logging pipeline with a recording exporter in place of OTLP.</summary>
internal sealed class RecordingPipeline : IDisposable
{
    public RecordingPipeline()
    {
        Factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.AddProcessor(new RecordTimestamps());
            o.AddProcessor(new SimpleLogRecordExportProcessor(Exporter));
        }));
        Records = Factory.CreateLogger(DecisionLog.Category);
        Agent = Factory.CreateLogger(AgentLog.Category);
    }

    public RecordingExporter Exporter { get; } = new();

    public ILoggerFactory Factory { get; }

    public ILogger Records { get; }

    public ILogger Agent { get; }

    public IReadOnlyList<ExportedRecord> Decisions => [.. Exporter.Records.Where(r => r.EventName == DecisionAttributes.EventName)];

    public OtlpDecisionSink Sink(TelemetrySettings settings, DecisionSpill? spill = null, Func<int, bool>? flush = null) =>
        new(Records, Agent, flush ?? (_ => true), spill, settings);

    public void Dispose() => Factory.Dispose();
}
