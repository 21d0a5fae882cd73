using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// Decisions made while the collector is down arrive once it is back, from the disk retry in the state directory.
/// The SDK resends stored batches every 60 s, so each test takes about a minute; the two run in parallel (separate
/// classes) to keep the suite short.
/// </summary>
public sealed class OutageTests : StateDirectoryTest
{
    [Fact]
    public async Task Decisions_made_while_the_receiver_is_down_arrive_after_it_comes_back()
    {
        int port = FreePort.Next();
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "outage",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_PRODUCER_LINGER_SECONDS"] = "100",
        };
        using var stop = new CancellationTokenSource();
        Task<Producer.Result> producer = Producer.RunAsync(env, TimeSpan.FromSeconds(120), stop.Token);

        // The receiver is down while the decisions are made and their export fails (stored on disk).
        Assert.True(SpinWait.SpinUntil(() => Directory.Exists(Path.Combine(State, "otlp", "logs"))
            && Directory.EnumerateFiles(Path.Combine(State, "otlp", "logs"), "*.blob", SearchOption.AllDirectories).Any(), TimeSpan.FromSeconds(30)), "no batch was stored for retry");

        await using AspireDashboard dashboard = await AspireDashboard.StartAsync(new AspireDashboardOptions { GrpcPort = port });
        IReadOnlyList<DashboardLogRecord> records = await dashboard.WaitForLogsAsync("outage", 4, TimeSpan.FromSeconds(90), r => r.EventName == DecisionAttributes.EventName);
        Assert.False(producer.IsCompleted, "the records must come from the live agent's retry, not from its shutdown");
        await stop.CancelAsync();
        await producer;
        Expected.AllSamplesArrived(records);
    }
}

/// <summary>Batches pending when the agent stops arrive after it starts again (same endpoint and state directory).</summary>
public sealed class RestartTests : StateDirectoryTest
{
    [Fact]
    public async Task Batches_pending_at_stop_arrive_after_the_agent_restarts()
    {
        int port = FreePort.Next();
        string endpoint = $"http://127.0.0.1:{port}";

        // First run: the receiver is down; the agent stops with its batches on disk.
        Producer.Result first = await Producer.RunAsync(new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "before-restart",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_STOP_TIMEOUT_SECONDS"] = "2",
        });
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(State, "otlp", "logs"), "*.blob", SearchOption.AllDirectories));

        // Second run, receiver up: it sends its own records and, within the SDK's retry interval, the first run's.
        await using AspireDashboard dashboard = await AspireDashboard.StartAsync(new AspireDashboardOptions { GrpcPort = port });
        using var stop = new CancellationTokenSource();
        Task<Producer.Result> second = Producer.RunAsync(new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "after-restart",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_PRODUCER_LINGER_SECONDS"] = "100",
        }, TimeSpan.FromSeconds(120), stop.Token);

        IReadOnlyList<DashboardLogRecord> resent = await dashboard.WaitForLogsAsync("before-restart", 4, TimeSpan.FromSeconds(90), r => r.EventName == DecisionAttributes.EventName);
        await stop.CancelAsync();
        await second;
        Expected.AllSamplesArrived(resent);
        Expected.AllSamplesArrived(await dashboard.GetLogsAsync("after-restart"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(State, "otlp", "logs"), "*.blob", SearchOption.AllDirectories));
    }
}
