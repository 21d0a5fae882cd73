using System.Diagnostics;
using System.Globalization;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Telemetry;
using KmodGuard.Tests.Shared;
using Microsoft.Extensions.Logging;

// Emits known decisions through the real pipeline, the way the agent does: console JSON lines on stdout, agent
// events on stderr, OTLP wherever the OTEL_* environment points. Configured only by environment variables:
//   KMODGUARD_PRODUCER_MODE    samples (default: the four SampleDecisions) | burst | rate
//   KMODGUARD_PRODUCER_COUNT   samples: rounds of four (default 1); burst: decisions (default 10000)
//   KMODGUARD_PRODUCER_RATE    rate: decisions per second (default 10000)
//   KMODGUARD_PRODUCER_SECONDS rate: duration (default 60)
//   KMODGUARD_STATE_DIRECTORY  the state directory (disk retry and spill); default /var/lib/kmodguard
//   KMODGUARD_PRODUCER_LINGER_SECONDS  stay running this long after recording (the SDK's disk retry runs in a live process)
//   KMODGUARD_STOP_TIMEOUT_SECONDS  time allowed to export the queue at exit (default: the agent's)
//   KMODGUARD_QUEUE_CAPACITY, KMODGUARD_SPILL_LIMIT_MB  the in-memory queue and disk spill bounds (default: the agent's)
//   KMODGUARD_NO_CONSOLE=1     no decision lines on stdout (for long runs)
string mode = Environment.GetEnvironmentVariable("KMODGUARD_PRODUCER_MODE") ?? "samples";
var settings = new TelemetrySettings();
if (Environment.GetEnvironmentVariable("KMODGUARD_STATE_DIRECTORY") is { Length: > 0 } state)
{
    settings.StateDirectory = state;
}

if (Environment.GetEnvironmentVariable("KMODGUARD_STOP_TIMEOUT_SECONDS") is { Length: > 0 })
{
    settings.StopTimeout = TimeSpan.FromSeconds(Int("KMODGUARD_STOP_TIMEOUT_SECONDS", 10));
}

settings.QueueCapacity = Int("KMODGUARD_QUEUE_CAPACITY", settings.QueueCapacity);
settings.SpillLimitBytes = Int("KMODGUARD_SPILL_LIMIT_MB", (int)(settings.SpillLimitBytes >> 20)) * (1L << 20);

IDecisionSink console = Environment.GetEnvironmentVariable("KMODGUARD_NO_CONSOLE") == "1"
    ? new CountingSink()
    : new ConsoleDecisionSink(Console.Out, DecisionRecordFormat.Json);
// Agent events on stderr, one line each (decisions have their own console sink).
using (TelemetryPipeline pipeline = TelemetryPipeline.Start(settings, console, logging => logging
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("KmodGuard.Decisions", LogLevel.None)))
{
    pipeline.AgentLogger.Started("0.1.0-test", "enforce", "0123456789abcdef");
    var clock = Stopwatch.StartNew();
    long recorded = mode switch
    {
        "samples" => Samples(pipeline.Decisions, Int("KMODGUARD_PRODUCER_COUNT", 1)),
        "burst" => Burst(pipeline.Decisions, Int("KMODGUARD_PRODUCER_COUNT", 10_000)),
        "rate" => Rate(pipeline.Decisions, Int("KMODGUARD_PRODUCER_RATE", 10_000), Int("KMODGUARD_PRODUCER_SECONDS", 60)),
        _ => throw new ArgumentException($"KMODGUARD_PRODUCER_MODE: expected samples, burst or rate, got '{mode}'"),
    };
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"producer: recorded {recorded} decisions in {clock.Elapsed.TotalMilliseconds:F0} ms"));
    Thread.Sleep(TimeSpan.FromSeconds(Int("KMODGUARD_PRODUCER_LINGER_SECONDS", 0)));
    pipeline.AgentLogger.Stopping("test producer done");
}

return 0;

static long Samples(IDecisionSink sink, int rounds)
{
    for (int n = 0; n < rounds; n++)
    {
        foreach ((ModuleActivity a, Decision d) in SampleDecisions.All(n))
        {
            // As the agent's decision loop does: metrics, then the record.
            KmodGuardMetrics.DecisionMade(a, d, TimeSpan.FromMilliseconds(0.2));
            sink.Record(a, d);
        }
    }

    return rounds * 4L;
}

static long Burst(IDecisionSink sink, int count)
{
    (ModuleActivity Activity, Decision Decision)[] samples = [.. Enumerable.Range(0, count).Select(i => SampleDecisions.All(i)[i % 4])];
    foreach ((ModuleActivity a, Decision d) in samples)
    {
        sink.Record(a, d);
    }

    return count;
}

static long Rate(IDecisionSink sink, int perSecond, int seconds)
{
    (ModuleActivity Activity, Decision Decision)[] samples = [.. Enumerable.Range(0, 1000).Select(i => SampleDecisions.All(i)[i % 4])];
    long total = (long)perSecond * seconds;
    var clock = Stopwatch.StartNew();
    for (long i = 0; i < total; i++)
    {
        // Paced in 10 ms steps, as a steady stream of loads would arrive.
        long due = i * 1000 / perSecond;
        if (clock.ElapsedMilliseconds < due)
        {
            Thread.Sleep((int)(due - clock.ElapsedMilliseconds));
        }

        (ModuleActivity a, Decision d) = samples[i % samples.Length];
        sink.Record(a, d);
    }

    return total;
}

static int Int(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;

internal sealed class CountingSink : IDecisionSink
{
    public void Record(ModuleActivity activity, Decision decision)
    {
    }
}
