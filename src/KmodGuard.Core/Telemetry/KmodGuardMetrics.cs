using System.Diagnostics.Metrics;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// The agent's metrics (meter <see cref="MeterName"/>), exported over OTLP with the logs. The platform back-ends
/// and the decision loop increment them; the telemetry pipeline increments the export ones.
/// </summary>
public static class KmodGuardMetrics
{
    public const string MeterName = "KmodGuard";

    private static readonly Meter Meter = new(MeterName, typeof(KmodGuardMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> ActivitiesProcessed = Meter.CreateCounter<long>(
        "kmodguard.activities", "{activity}", "Module activities (loads, unloads, persistence changes) evaluated");

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "kmodguard.decisions", "{decision}", "Decisions, by kmodguard.verdict and kmodguard.action");

    public static readonly Counter<long> KernelLostEvents = Meter.CreateCounter<long>(
        "kmodguard.kernel.lost_events", "{event}", "Audit events the Linux kernel reported as lost");

    public static readonly Counter<long> EsDroppedEvents = Meter.CreateCounter<long>(
        "kmodguard.es.dropped_events", "{event}", "Endpoint Security messages missed (sequence-number gaps)");

    /// <summary>From receiving an activity to its decision; buckets from 10 µs to 1 s.</summary>
    public static readonly Histogram<double> DecisionDuration = Meter.CreateHistogram(
        "kmodguard.decision.duration", "s", "Time from receiving an activity to its decision", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1] });

    public static readonly Counter<long> ExportFailures = Meter.CreateCounter<long>(
        "kmodguard.telemetry.export_failures", "{failure}", "Failed OTLP export attempts (the data is kept for retry where possible)");

    public static readonly Counter<long> RecordsSpilled = Meter.CreateCounter<long>(
        "kmodguard.telemetry.spilled", "{decision}", "Decision records written to the disk spill because the in-memory queue was full");

    public static readonly Counter<long> RecordsDropped = Meter.CreateCounter<long>(
        "kmodguard.telemetry.dropped", "{decision}", "Decision records lost to OTLP export (spill full or unwritable); console output still has them");

    /// <summary>Counts one evaluated activity and its decision, and records how long deciding took.</summary>
    public static void DecisionMade(ModuleActivity activity, Decision decision, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(decision);
        ActivitiesProcessed.Add(1, new KeyValuePair<string, object?>(AttributeNames.Operation, Words.Of(activity.Operation)));
        var verdict = new KeyValuePair<string, object?>(AttributeNames.Verdict, Words.Of(decision.Verdict));
        Decisions.Add(1, verdict, new KeyValuePair<string, object?>(AttributeNames.Action, Words.Of(decision.Action)));
        DecisionDuration.Record(elapsed.TotalSeconds, verdict);
    }
}
