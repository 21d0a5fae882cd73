using System.Diagnostics;
using System.Diagnostics.Metrics;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>The decision path never waits for export; overflow goes to the disk spill; losses are counted and reported.</summary>
public sealed class OtlpDecisionSinkTests : StateDirectoryTest
{
    private string SpillDir => Path.Combine(State, "spill");

    [Fact]
    public void Record_returns_at_once_while_export_is_stuck_and_everything_arrives_afterwards()
    {
        using var pipeline = new RecordingPipeline();
        using var exporting = new ManualResetEventSlim(false);
        var settings = new TelemetrySettings { QueueCapacity = 20_000, StopTimeout = TimeSpan.FromSeconds(10) };
        using (OtlpDecisionSink sink = pipeline.Sink(settings, flush: ms => exporting.Wait(ms)))
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 10_000; i++)
            {
                (var a, var d) = SampleDecisions.All(i)[i % 4];
                sink.Record(a, d);
            }

            // A blocked exporter may hold one batch; the rest must be queued without waiting.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"10,000 Record calls took {clock.Elapsed}");
            exporting.Set();
        }

        Assert.Equal(10_000, pipeline.Decisions.Count);
    }

    [Fact]
    public void Overflow_goes_to_the_spill_and_is_sent_by_the_next_run()
    {
        using var blocked = new ManualResetEventSlim(false);
        var settings = new TelemetrySettings { QueueCapacity = 10, ExportBatchSize = 5, StopTimeout = TimeSpan.FromMilliseconds(200) };
        using (var first = new RecordingPipeline())
        using (DecisionSpill spill = DecisionSpill.Open(SpillDir, settings.SpillLimitBytes))
        using (OtlpDecisionSink sink = first.Sink(settings, spill, flush: ms => blocked.Wait(ms)))
        {
            for (int i = 0; i < 100; i++)
            {
                (var a, var d) = SampleDecisions.All(i)[i % 4];
                sink.Record(a, d);
            }
        }

        string[] files = Directory.GetFiles(SpillDir);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(SpillDir));

        // The next run replays the spill: every record that did not reach the first exporter arrives, with its own times.
        using var second = new RecordingPipeline();
        using (DecisionSpill spill = DecisionSpill.Open(SpillDir, settings.SpillLimitBytes))
        using (second.Sink(settings, spill))
        {
            Assert.True(SpinWait.SpinUntil(() => spill.TotalBytes == 0, TimeSpan.FromSeconds(10)));
        }

        // The first run's blocked exporter still received the batches it was handed (5 per flush attempt before the stop).
        IReadOnlyList<ExportedRecord> replayed = second.Decisions;
        Assert.InRange(replayed.Count, 85, 100);
        Assert.All(replayed, r => Assert.True(r.Timestamp < new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Contains(replayed, r => r.Body!.StartsWith("Denied load of module 'evil_rk'", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(SpillDir));
    }

    [Fact]
    public void A_full_spill_drops_counts_and_reports_how_many()
    {
        long dropped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == KmodGuardMetrics.MeterName && i.Name == "kmodguard.telemetry.dropped")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref dropped, v));
        listener.Start();

        using var blocked = new ManualResetEventSlim(false);
        using var pipeline = new RecordingPipeline();
        var settings = new TelemetrySettings { QueueCapacity = 4, ExportBatchSize = 1, StopTimeout = TimeSpan.FromMilliseconds(100) };
        using (DecisionSpill spill = DecisionSpill.Open(SpillDir, limitBytes: 4096))
        using (OtlpDecisionSink sink = pipeline.Sink(settings, spill, flush: ms => blocked.Wait(ms)))
        {
            for (int i = 0; i < 50; i++)
            {
                (var a, var d) = SampleDecisions.All(i)[i % 4];
                sink.Record(a, d);
            }
        }

        Assert.True(Interlocked.Read(ref dropped) > 0);
        // Reported at once, then at most once per interval (here: the rest at stop); together they say how many.
        IReadOnlyList<ExportedRecord> reports = [.. pipeline.Exporter.Records.Where(r => r.EventName == AgentEventNames.Dropped)];
        Assert.InRange(reports.Count, 1, 2);
        Assert.Equal(Interlocked.Read(ref dropped), reports.Sum(r => (long)r.Attributes.Single(a => a.Key == AgentAttributeNames.RecordCount).Value!));
        Assert.Contains(pipeline.Exporter.Records, r => r.EventName == AgentEventNames.Spilling);
    }

    [Fact]
    public void Damaged_spill_lines_are_skipped_and_reported_and_the_rest_arrives()
    {
        (var a, var d) = SampleDecisions.LinuxDeny();
        Directory.CreateDirectory(SpillDir);
        File.WriteAllLines(Path.Combine(SpillDir, "20261128T100000-000000.jsonl"),
        [
            DecisionRecordWriter.ToJson(a, d),
            "{\"event_name\": \"kmodguard.module.decision\", \"severity_text\": \"Warning\"",
            "[1, 2, 3]",
            "{\"event_name\": \"something.else\"}",
            DecisionRecordWriter.ToJson(a, d).Replace("\"process.pid\":31337", "\"process.pid\":{\"nested\":1}", StringComparison.Ordinal),
            new string('x', 100_000),
            DecisionRecordWriter.ToJson(a, d),
        ]);

        using var pipeline = new RecordingPipeline();
        using (DecisionSpill spill = DecisionSpill.Open(SpillDir, 1 << 20))
        using (pipeline.Sink(new TelemetrySettings(), spill))
        {
            Assert.True(SpinWait.SpinUntil(() => spill.TotalBytes == 0, TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(2, pipeline.Decisions.Count);
        ExportedRecord report = Assert.Single(pipeline.Exporter.Records, r => r.EventName == AgentEventNames.Dropped);
        Assert.Equal(5L, report.Attributes.Single(x => x.Key == AgentAttributeNames.RecordCount).Value);
    }

    [Fact]
    public void A_large_spill_and_a_large_burst_pass_through_the_SDK_batch_queue_without_loss()
    {
        // More than the SDK's 2,048-record queue, both from the spill (an earlier run) and from the decision path.
        (var a, var d) = SampleDecisions.MacDeny();
        Directory.CreateDirectory(SpillDir);
        File.WriteAllLines(Path.Combine(SpillDir, "20261128T100000-000000.jsonl"), Enumerable.Repeat(DecisionRecordWriter.ToJson(a, d), 5000));

        using var pipeline = new RecordingPipeline(batched: true);
        using (DecisionSpill spill = DecisionSpill.Open(SpillDir, 64 << 20))
        using (OtlpDecisionSink sink = pipeline.Sink(new TelemetrySettings { StopTimeout = TimeSpan.FromSeconds(30) }, spill))
        {
            for (int i = 0; i < 5000; i++)
            {
                (var la, var ld) = SampleDecisions.All(i)[i % 4];
                sink.Record(la, ld);
            }

            Assert.True(SpinWait.SpinUntil(() => spill.TotalBytes == 0, TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(10_000, pipeline.Decisions.Count);
    }

    [Fact]
    public void Stopping_exports_what_is_queued()
    {
        using var pipeline = new RecordingPipeline();
        using (OtlpDecisionSink sink = pipeline.Sink(new TelemetrySettings()))
        {
            foreach ((var a, var d) in SampleDecisions.All())
            {
                sink.Record(a, d);
            }
        }

        Assert.Equal(4, pipeline.Decisions.Count);
    }
}
