using System.Text.Json;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>What the dashboard API should show for a decision: the console JSON line's attributes, as strings.</summary>
internal static class Expected
{
    private static readonly string[] Envelope = ["timestamp", "observed_timestamp", "severity_text", "event_name", "body"];

    public static Dictionary<string, string> Attributes(ModuleActivity activity, Decision decision)
    {
        using JsonDocument doc = JsonDocument.Parse(DecisionRecordWriter.ToJson(activity, decision));
        return doc.RootElement.EnumerateObject().Where(p => !Envelope.Contains(p.Name)).ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    /// <summary>Checks that every sample decision arrived once with the right envelope and every attribute.</summary>
    public static void AllSamplesArrived(IReadOnlyList<DashboardLogRecord> records, int rounds = 1)
    {
        IReadOnlyList<DashboardLogRecord> decisions = [.. records.Where(r => r.EventName == DecisionAttributes.EventName)];
        Assert.Equal(rounds * 4, decisions.Count);
        for (int n = 0; n < rounds; n++)
        {
            foreach ((ModuleActivity a, Decision d) in SampleDecisions.All(n))
            {
                DashboardLogRecord r = Assert.Single(decisions, x => x.Attributes.GetValueOrDefault(AttributeNames.ActivityId) == a.Id);
                Assert.Equal(DecisionSentence.For(a, d), r.Body);
                Assert.Equal(DecisionRecordWriter.SeverityText(d), r.SeverityText);
                Assert.Equal("KmodGuard.Decisions", r.Scope);
                Assert.Equal((ulong)(a.EventTime!.Value.ToUnixTimeMilliseconds() * 1_000_000), r.TimeUnixNano);
                foreach ((string key, string value) in Attributes(a, d))
                {
                    Assert.True(r.Attributes.TryGetValue(key, out string? actual), $"{a.Id}: missing {key}");
                    Assert.Equal(value, actual);
                }

                // Only the dashboard's own id is extra.
                Assert.Equal(Attributes(a, d).Count + 1, r.Attributes.Count);
            }
        }
    }
}
