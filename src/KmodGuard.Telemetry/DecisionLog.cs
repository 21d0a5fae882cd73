using System.Text.Json;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// One log record per decision (event <c>kmodguard.module.decision</c>), through source-generated logging methods
/// whose tags come from <see cref="DecisionAttributes.Write"/> — the same definition the console JSON uses — or,
/// for a record that waited in the disk spill, from its console JSON line.
/// </summary>
internal static partial class DecisionLog
{
    /// <summary>The logger category (OpenTelemetry instrumentation scope) of decision records.</summary>
    public const string Category = "KmodGuard.Decisions";

    public static void Write(ILogger logger, PendingDecision record)
    {
        ModuleActivity activity = record.Activity;
        LogLevel level = DecisionLogLevel.Of(record.Decision);
        RecordTimestamps.Set(activity.EventTime ?? activity.ReceiveTime, activity.ReceiveTime);
        try
        {
            Record(logger, level, record);
        }
        finally
        {
            RecordTimestamps.Clear();
        }
    }

    /// <summary>Writes a record kept in the disk spill; a damaged line is a <see cref="FormatException"/> or <see cref="JsonException"/>.</summary>
    public static void WriteSpilled(ILogger logger, string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4 });
        SpilledRecord record = SpilledRecord.Parse(doc.RootElement);
        RecordTimestamps.Set(record.Timestamp, record.ObservedTimestamp);
        try
        {
            Spilled(logger, record.Level, record);
        }
        finally
        {
            RecordTimestamps.Clear();
        }
    }

    // An empty message keeps {OriginalFormat} out of the record; the tag providers set the body sentence.
    // Both methods write the same event (from two sources), which the generator warns about.
#pragma warning disable LOGGEN027
    [LoggerMessage(EventName = DecisionAttributes.EventName, Message = "")]
    private static partial void Record(ILogger logger, LogLevel level,
        [TagProvider(typeof(DecisionTags), nameof(DecisionTags.Add), OmitReferenceName = true)] PendingDecision record);

    [LoggerMessage(EventName = DecisionAttributes.EventName, Message = "")]
    private static partial void Spilled(ILogger logger, LogLevel level,
        [TagProvider(typeof(DecisionTags), nameof(DecisionTags.AddSpilled), OmitReferenceName = true)] SpilledRecord record);
#pragma warning restore LOGGEN027
}
