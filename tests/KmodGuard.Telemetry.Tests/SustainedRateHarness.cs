using System.Diagnostics;
using System.Globalization;
using KmodGuard.Tests.Shared;
using Xunit.Abstractions;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// The sustained-rate harness (not part of the normal suite: it holds a dashboard with 600,000 records, about 3 GB):
/// KMODGUARD_SOAK_SECONDS=60 [KMODGUARD_SOAK_RATE=10000] dotnet test tests/KmodGuard.Telemetry.Tests -c Release --filter SustainedRateHarness
/// The producer records at the rate for the duration (console off), then the harness waits until every decision
/// is in the dashboard and reports how long delivery took.
/// </summary>
public sealed class SustainedRateHarness(ITestOutputHelper output) : StateDirectoryTest
{
    [SkippableFact]
    public async Task Sustained_rate_is_delivered_in_full()
    {
        Skip.If(Environment.GetEnvironmentVariable("KMODGUARD_SOAK_SECONDS") is not { Length: > 0 }, "a harness: set KMODGUARD_SOAK_SECONDS (and KMODGUARD_SOAK_RATE) to run it");
        int seconds = int.Parse(Environment.GetEnvironmentVariable("KMODGUARD_SOAK_SECONDS")!, CultureInfo.InvariantCulture);
        int rate = int.Parse(Environment.GetEnvironmentVariable("KMODGUARD_SOAK_RATE") ?? "10000", CultureInfo.InvariantCulture);
        string protocol = Environment.GetEnvironmentVariable("KMODGUARD_SOAK_PROTOCOL") ?? "grpc";
        long total = (long)rate * seconds;

        await using AspireDashboard dashboard = await AspireDashboard.StartAsync(new AspireDashboardOptions { MaxLogCount = (int)total + 10_000 });
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "soak",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = (protocol == "grpc" ? dashboard.GrpcEndpoint : dashboard.HttpEndpoint).ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_PRODUCER_MODE"] = "rate",
            ["KMODGUARD_PRODUCER_RATE"] = rate.ToString(CultureInfo.InvariantCulture),
            ["KMODGUARD_PRODUCER_SECONDS"] = seconds.ToString(CultureInfo.InvariantCulture),
            ["KMODGUARD_NO_CONSOLE"] = "1",
            ["KMODGUARD_STOP_TIMEOUT_SECONDS"] = "1800",
            // The dashboard ingests far fewer than 10,000 records/s here: room for the whole run on disk.
            ["KMODGUARD_SPILL_LIMIT_MB"] = "4096",
        };
        var clock = Stopwatch.StartNew();
        Task<Producer.Result> producer = Producer.RunAsync(env, TimeSpan.FromSeconds(seconds + 1900));
        // The producer also sends two agent events (start, stop); anything else would be a loss report.
        long expected = total + 2, arrived = 0;
        while (arrived < expected && clock.Elapsed < TimeSpan.FromSeconds(seconds + 1800))
        {
            // Counting is a scan in the dashboard: not too often.
            await Task.Delay(TimeSpan.FromSeconds(30));
            arrived = await dashboard.CountLogsAsync("soak");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: {arrived} of {expected} records arrived");
        }

        Producer.Result run = await producer;
        arrived = await dashboard.CountLogsAsync("soak");
        output.WriteLine(run.Stderr);
        output.WriteLine($"{arrived} of {expected} records delivered {clock.Elapsed.TotalSeconds:F1} s after the start of a {seconds} s run at {rate}/s; producer exited after {run.Elapsed.TotalSeconds:F1} s");
        // Agent events (start, stop, "queue full" reports) are on stderr too, one line each: the rest are decisions.
        long agentEvents = run.Stderr.Split('\n').Count(l => l.Contains("KmodGuard.Agent[", StringComparison.Ordinal));
        output.WriteLine($"{arrived - agentEvents} decisions and {agentEvents} agent events arrived");
        Assert.Equal(total, arrived - agentEvents);
        Assert.DoesNotContain("dropped", run.Stderr, StringComparison.Ordinal);
    }
}
