using OpenTelemetry;
using OpenTelemetry.Logs;

namespace KmodGuard.Telemetry.Tests;

/// <summary>Keeps a copy of every exported log record (the SDK reuses LogRecord instances, so they are copied).</summary>
internal sealed class RecordingExporter : BaseExporter<LogRecord>
{
    private readonly List<ExportedRecord> _records = [];

    public IReadOnlyList<ExportedRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        lock (_records)
        {
            foreach (LogRecord r in batch)
            {
                _records.Add(new ExportedRecord(
                    r.EventId.Name,
                    r.LogLevel,
                    r.Body,
                    r.CategoryName,
                    r.Timestamp,
                    r.ObservedTimestamp,
                    r.Attributes?.Where(a => a.Key != "{OriginalFormat}").ToList() ?? [],
                    r.Attributes?.Any(a => a.Key == "{OriginalFormat}") == true));
            }
        }

        return ExportResult.Success;
    }
}

internal sealed record ExportedRecord(
    string? EventName,
    Microsoft.Extensions.Logging.LogLevel Level,
    string? Body,
    string? Category,
    DateTime Timestamp,
    DateTime ObservedTimestamp,
    IReadOnlyList<KeyValuePair<string, object?>> Attributes,
    bool HasOriginalFormat);
