using System.Diagnostics.Metrics;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

public class MetricsTests
{
    [Fact]
    public void A_decision_counts_the_activity_and_the_verdict_and_records_its_latency()
    {
        var seen = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == KmodGuardMetrics.MeterName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();

        (var a, var d) = SampleDecisions.LinuxDeny();
        KmodGuardMetrics.DecisionMade(a, d, TimeSpan.FromMilliseconds(2));

        lock (seen)
        {
            Assert.Contains(seen, m => m.Name == "kmodguard.activities" && m.Value == 1 && (string?)m.Tags["kmodguard.operation"] == "load");
            Assert.Contains(seen, m => m.Name == "kmodguard.decisions" && (string?)m.Tags["kmodguard.verdict"] == "deny" && (string?)m.Tags["kmodguard.action"] == "unloaded");
            Assert.Contains(seen, m => m.Name == "kmodguard.decision.duration" && Math.Abs(m.Value - 0.002) < 1e-9);
        }

        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var t = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = tag.Value;
            }

            lock (seen)
            {
                seen.Add((i.Name, v, t));
            }
        }
    }
}
