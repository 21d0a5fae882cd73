using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// Prints decision records, one per line: JSON (the same keys and values as the OTLP attributes, plus the
/// record's envelope: timestamp, observed_timestamp, severity_text, event_name, body) or readable text.
/// </summary>
public sealed class DecisionRecordWriter(TextWriter output, DecisionRecordFormat format)
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Relaxed: keeps non-ASCII names readable; control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly object _gate = new();

    private char[] _chars = new char[4096];

    /// <summary>Writes one record line; with <paramref name="flush"/> false it may stay buffered until <see cref="Flush"/>.</summary>
    public void Write(ModuleActivity activity, Decision decision, bool flush = true)
    {
        lock (_gate)
        {
            if (format == DecisionRecordFormat.Json)
            {
                WriteJson(activity, decision, _buffer);
                int length = Encoding.UTF8.GetCharCount(_buffer.WrittenSpan);
                if (_chars.Length < length + 1)
                {
                    _chars = new char[Math.Max(length + 1, _chars.Length * 2)];
                }

                Encoding.UTF8.GetChars(_buffer.WrittenSpan, _chars);
                _chars[length] = '\n';
                output.Write(_chars, 0, length + 1);
            }
            else
            {
                output.Write(ToText(activity, decision));
                output.Write('\n');
            }

            if (flush)
            {
                output.Flush();
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    /// <summary>The OpenTelemetry severity text for a decision (the OTLP record's severity_text).</summary>
    public static string SeverityText(Decision decision) => DecisionLogLevel.TextOf(DecisionLogLevel.Of(decision));

    public static string ToJson(ModuleActivity activity, Decision decision) => ToJson(activity, decision, new ArrayBufferWriter<byte>(2048));

    private static string ToJson(ModuleActivity activity, Decision decision, ArrayBufferWriter<byte> buffer)
    {
        WriteJson(activity, decision, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteJson(ModuleActivity activity, Decision decision, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", activity.EventTime ?? activity.ReceiveTime);
            json.WriteString("observed_timestamp", activity.ReceiveTime);
            json.WriteString("severity_text", SeverityText(decision));
            json.WriteString("event_name", DecisionAttributes.EventName);
            json.WriteString("body", DecisionSentence.For(activity, decision));
            var attributes = new JsonAttributeWriter(json);
            DecisionAttributes.Write(activity, decision, ref attributes);
            json.WriteEndObject();
        }
    }

    /// <summary>"2026-11-28T10:00:00.123Z DENY would_deny load crc7 /tmp/crc7.ko insmod[123] uid=0 rule=deny-world-writable-paths".</summary>
    public static string ToText(ModuleActivity activity, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(decision);
        var sb = new StringBuilder(160);
        sb.Append((activity.EventTime ?? activity.ReceiveTime).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        sb.Append(' ').Append(decision.RuleAction == RuleAction.Alert ? "ALERT" : Words.Of(decision.Verdict).ToUpperInvariant());
        sb.Append(' ').Append(Words.Of(decision.Action));
        sb.Append(' ').Append(Words.Of(activity.Operation));
        sb.Append(' ').Append(DecisionSentence.Printable(activity.Module.Name ?? "-"));
        sb.Append(' ').Append(DecisionSentence.Printable(activity.EffectiveFilePath ?? "-"));
        sb.Append(' ').Append(DecisionSentence.Printable(activity.Process.Name ?? "?"));
        sb.Append('[').Append(activity.Process.Pid?.ToString(CultureInfo.InvariantCulture) ?? "?").Append(']');
        if (activity.Process.UserId is int uid)
        {
            sb.Append(" uid=").Append(uid);
        }

        if (activity.Container is { InContainer: true } c)
        {
            sb.Append(" container=").Append(DecisionSentence.Printable(c.Id ?? "?"));
        }

        sb.Append(" sig=").Append(Words.Of(activity.Module.SignatureStatus));
        sb.Append(" rule=").Append(decision.RuleId ?? "(default)");
        return sb.ToString();
    }
}
