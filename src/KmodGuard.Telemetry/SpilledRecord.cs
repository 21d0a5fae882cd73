using System.Text.Json;
using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// A decision record read back from the disk spill, where it was stored as its console JSON line (the same schema):
/// strings, integers, booleans and string arrays, plus the envelope (timestamps, severity, event name, body).
/// </summary>
internal readonly record struct SpilledRecord(JsonElement Line, LogLevel Level, DateTimeOffset Timestamp, DateTimeOffset ObservedTimestamp)
{
    internal const string TimestampKey = "timestamp";
    internal const string ObservedTimestampKey = "observed_timestamp";
    internal const string SeverityTextKey = "severity_text";
    internal const string EventNameKey = "event_name";
    internal const string BodyKey = "body";

    /// <summary>Checks the line is a decision record; a damaged line is a <see cref="FormatException"/>, never a half record.</summary>
    public static SpilledRecord Parse(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a spilled record must be a JSON object");
        }

        if (!line.TryGetProperty(EventNameKey, out JsonElement name) || name.ValueKind != JsonValueKind.String || name.GetString() != DecisionAttributes.EventName)
        {
            throw new FormatException($"a spilled record must have \"{EventNameKey}\": \"{DecisionAttributes.EventName}\"");
        }

        LogLevel level = Text(line, SeverityTextKey) switch
        {
            "Information" => LogLevel.Information,
            "Warning" => LogLevel.Warning,
            "Error" => LogLevel.Error,
            var other => throw new FormatException($"unknown {SeverityTextKey} '{other}'"),
        };
        _ = Text(line, BodyKey);
        foreach (JsonProperty p in line.EnumerateObject())
        {
            _ = ValueOf(p);
        }

        return new SpilledRecord(line, level, Time(line, TimestampKey), Time(line, ObservedTimestampKey));
    }

    /// <summary>The typed value of one attribute, as <see cref="IAttributeWriter"/> wrote it.</summary>
    public static object ValueOf(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString()!,
        JsonValueKind.Number when p.Value.TryGetInt64(out long v) => v,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => p.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"'{p.Name}' must hold strings only")).ToArray(),
        _ => throw new FormatException($"'{p.Name}' has an unsupported value ({p.Value.ValueKind})"),
    };

    private static string Text(JsonElement line, string key) =>
        line.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"missing \"{key}\"");

    private static DateTimeOffset Time(JsonElement line, string key) =>
        line.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out DateTimeOffset t)
            ? t : throw new FormatException($"\"{key}\" must be an ISO 8601 time");
}
