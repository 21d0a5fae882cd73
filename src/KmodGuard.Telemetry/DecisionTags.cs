using System.Text.Json;
using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// Tag providers for the decision log method. Both put the body sentence under <c>{OriginalFormat}</c>, the
/// logging convention for "the message": OpenTelemetry exports it as the record body, not as an attribute.
/// </summary>
internal static class DecisionTags
{
    internal const string Body = "{OriginalFormat}";

    public static void Add(ITagCollector tags, PendingDecision record)
    {
        tags.Add(Body, DecisionSentence.For(record.Activity, record.Decision));
        var writer = new TagCollectorAttributeWriter(tags);
        DecisionAttributes.Write(record.Activity, record.Decision, ref writer);
    }

    /// <summary>A record that waited in the disk spill as a console JSON line: the same keys, types and values.</summary>
    public static void AddSpilled(ITagCollector tags, SpilledRecord record)
    {
        foreach (JsonProperty p in record.Line.EnumerateObject())
        {
            switch (p.Name)
            {
                case SpilledRecord.BodyKey:
                    tags.Add(Body, p.Value.GetString());
                    break;
                case SpilledRecord.TimestampKey or SpilledRecord.ObservedTimestampKey or SpilledRecord.SeverityTextKey or SpilledRecord.EventNameKey:
                    break;
                default:
                    tags.Add(p.Name, SpilledRecord.ValueOf(p));
                    break;
            }
        }
    }
}
