using System.Text.Json;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// Byte-level check of what goes on the wire (the dashboard's API turns every value into a string): the OTLP
/// request, decoded with protoc --decode_raw, carries integers as int_value, booleans as bool_value and lists as
/// array_value, the sentence as body, the event name in event_name — and metrics go out too.
/// </summary>
public sealed class WireFormatTests : StateDirectoryTest
{
    // opentelemetry-proto field numbers.
    private const int ResourceLogs = 1, ScopeLogs = 2, LogRecords = 2, SeverityNumber = 2, Body = 5, Attributes = 6, EventName = 12;
    private const int Key = 1, Value = 2, StringValue = 1, BoolValue = 2, IntValue = 3, ArrayValue = 5, ArrayValues = 1;

    [SkippableFact]
    public async Task Values_keep_their_types_on_the_wire_and_metrics_are_exported()
    {
        Skip.IfNot(RawProtobuf.ProtocAvailable, "protoc is not installed (Debian package protobuf-compiler; ./build.sh test installs it as root)");
        using var capture = new CaptureServer();
        Producer.Result run = await Producer.RunAsync(new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "wire",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = capture.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_PRODUCER_LINGER_SECONDS"] = "1",
        });
        Assert.True(run.ExitCode == 0, run.Stderr);

        List<RawProtobuf> records = [.. capture.Requests.Where(r => r.Path == "/v1/logs")
            .Select(r => RawProtobuf.Decode(r.Body))
            .SelectMany(m => m.Messages(ResourceLogs)).SelectMany(m => m.Messages(ScopeLogs)).SelectMany(m => m.Messages(LogRecords))
            .Where(r => r.Scalars(EventName).SingleOrDefault() == DecisionAttributes.EventName)];
        Assert.Equal(4, records.Count);

        foreach ((var activity, var decision) in SampleDecisions.All())
        {
            string pid = activity.Process.Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            RawProtobuf record = Assert.Single(records, r => Attribute(r, AttributeNames.ProcessPid)?.Scalars(IntValue).Single() == pid);
            Assert.Equal(DecisionSentence.For(activity, decision), record.Messages(Body).Single().Scalars(StringValue).Single());
            Assert.Equal(DecisionLogLevel.Of(decision) == Microsoft.Extensions.Logging.LogLevel.Warning ? "13" : "9", record.Scalars(SeverityNumber).Single());
            Assert.DoesNotContain(record.Messages(Attributes), a => a.Scalars(Key).Single() == "{OriginalFormat}");

            using JsonDocument line = JsonDocument.Parse(DecisionRecordWriter.ToJson(activity, decision));
            int checkedCount = 0;
            foreach (JsonProperty p in line.RootElement.EnumerateObject())
            {
                if (p.Name is "timestamp" or "observed_timestamp" or "severity_text" or "event_name" or "body")
                {
                    continue;
                }

                RawProtobuf value = Attribute(record, p.Name) ?? throw new Xunit.Sdk.XunitException($"{activity.Id}: {p.Name} missing on the wire");
                switch (p.Value.ValueKind)
                {
                    case JsonValueKind.Number:
                        // decode_raw prints varints unsigned; int_value is an int64.
                        Assert.Equal(p.Value.GetInt64(), unchecked((long)ulong.Parse(value.Scalars(IntValue).Single(), System.Globalization.CultureInfo.InvariantCulture)));
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        Assert.Equal(p.Value.GetBoolean() ? "1" : "0", value.Scalars(BoolValue).Single());
                        break;
                    case JsonValueKind.Array:
                        Assert.Equal(p.Value.EnumerateArray().Select(e => e.GetString()), value.Messages(ArrayValue).Single().Messages(ArrayValues).Select(v => v.Scalars(StringValue).Single()));
                        break;
                    default:
                        // string_value. decode_raw shows some strings (e.g. "es:7000") as a nested message, since
                        // their bytes happen to parse as one; the field number still proves the type.
                        Assert.Equal([StringValue], value.Fields.Keys);
                        if (value.Scalars(StringValue).SingleOrDefault() is { } text)
                        {
                            Assert.Equal(p.Value.GetString(), text);
                        }

                        break;
                }

                checkedCount++;
            }

            Assert.Equal(checkedCount, record.Messages(Attributes).Count());
        }

        string metrics = string.Join('\n', capture.Requests.Where(r => r.Path == "/v1/metrics").Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
        foreach (string name in new[] { "kmodguard.activities", "kmodguard.decisions", "kmodguard.decision.duration" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
    }

    /// <summary>The AnyValue of the attribute named <paramref name="key"/>.</summary>
    private static RawProtobuf? Attribute(RawProtobuf record, string key) =>
        record.Messages(Attributes).FirstOrDefault(a => a.Scalars(Key).SingleOrDefault() == key)?.Messages(Value).Single();
}
