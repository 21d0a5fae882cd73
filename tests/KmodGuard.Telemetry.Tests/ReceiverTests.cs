using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// Decisions reach a real OTLP receiver (the Aspire dashboard) from a separate producer process configured only by
/// OTEL_* environment variables, over gRPC and over http/protobuf.
/// </summary>
public sealed class ReceiverTests(DashboardFixture fixture) : StateDirectoryTest, IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    private AspireDashboard Dashboard => fixture.Dashboard;

    private Dictionary<string, string> Environment(string service, string protocol, Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = service,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
        };
        if (protocol == "grpc")
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = Dashboard.GrpcEndpoint.ToString();
        }
        else
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = Dashboard.HttpEndpoint.ToString();
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }

        foreach ((string k, string v) in extra ?? [])
        {
            env[k] = v;
        }

        return env;
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Linux_and_macOS_allow_and_deny_decisions_arrive_with_every_documented_key(string protocol)
    {
        string service = $"samples-{protocol.Replace('/', '-')}";
        Producer.Result run = await Producer.RunAsync(Environment(service, protocol));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(4, run.Stdout.Length);

        IReadOnlyList<DashboardLogRecord> records = await Dashboard.WaitForLogsAsync(service, 6, Arrival);
        Expected.AllSamplesArrived(records);
        Assert.Contains(records, r => r.EventName == AgentEventNames.Start && r.Attributes["service.version"] == "0.1.0-test");
        Assert.Contains(records, r => r.EventName == AgentEventNames.Stop);

        IReadOnlyDictionary<string, string> resource = records[0].Resource;
        Assert.Equal(service, resource["service.name"]);
        Assert.Equal(System.Environment.MachineName, resource["host.name"]);
        Assert.Equal("linux", resource["os.type"]);
        Assert.False(string.IsNullOrEmpty(resource["os.version"]));
        Assert.False(string.IsNullOrEmpty(resource["service.version"]));
        if (File.Exists("/etc/machine-id"))
        {
            Assert.Equal(File.ReadAllText("/etc/machine-id").Trim(), resource["host.id"]);
        }
    }

    [Fact]
    public async Task Per_signal_logs_variables_and_resource_attributes_are_honoured()
    {
        const string service = "per-signal";
        var env = new Dictionary<string, string>
        {
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            // Only the logs endpoint and protocol (the generic ones would go to a dead port over grpc).
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = new Uri(Dashboard.HttpEndpoint, "v1/logs").ToString(),
            ["OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"] = "http/protobuf",
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.name={service},deployment.environment.name=test,host.id=from-env",
        };
        Producer.Result run = await Producer.RunAsync(env);
        Assert.True(run.ExitCode == 0, run.Stderr);

        IReadOnlyList<DashboardLogRecord> records = await Dashboard.WaitForLogsAsync(service, 4, Arrival, r => r.EventName == DecisionAttributes.EventName);
        Expected.AllSamplesArrived(records);
        Assert.Equal("test", records[0].Resource["deployment.environment.name"]);
        Assert.Equal("from-env", records[0].Resource["host.id"]);
    }

    [Fact]
    public async Task A_burst_of_10000_decisions_within_one_second_all_arrive()
    {
        const string service = "burst";
        Producer.Result run = await Producer.RunAsync(Environment(service, "grpc", new() { ["KMODGUARD_PRODUCER_MODE"] = "burst", ["KMODGUARD_PRODUCER_COUNT"] = "10000", ["KMODGUARD_NO_CONSOLE"] = "1", ["KMODGUARD_STOP_TIMEOUT_SECONDS"] = "120" }), TimeSpan.FromSeconds(150));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"recorded 10000 decisions in \d+ ms", run.Stderr);
        int ms = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Stderr, @"recorded 10000 decisions in (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ms < 1000, $"the burst took {ms} ms to record");

        IReadOnlyList<DashboardLogRecord> records = await Dashboard.WaitForLogsAsync(service, 10_000, TimeSpan.FromSeconds(30), r => r.EventName == DecisionAttributes.EventName);
        Assert.Equal(10_000, records.Count);
        Assert.Equal(10_000, records.Select(r => r.Attributes[AttributeNames.ActivityId] + r.Attributes[AttributeNames.ProcessPid]).Distinct().Count());
        Assert.DoesNotContain(records, r => r.EventName is AgentEventNames.Dropped);
    }

    [Fact]
    public async Task Settings_fill_in_what_the_environment_leaves_unset_and_the_environment_wins()
    {
        var settings = new TelemetrySettings { Endpoint = Dashboard.GrpcEndpoint.ToString(), ServiceName = "from-settings", StateDirectory = State };
        settings.ResourceAttributes["deployment.environment.name"] = "settings";
        IConfigurationRoot env = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "from-env" }).Build();
        using (TelemetryPipeline pipeline = TelemetryPipeline.Start(settings, new CompositeDecisionSink(), environment: env))
        {
            Assert.True(pipeline.ExportsOtlp);
            Assert.Equal(Dashboard.GrpcEndpoint.ToString(), pipeline.Endpoint); // what status reports
            (var a, var d) = SampleDecisions.LinuxDeny();
            pipeline.Decisions.Record(a, d);
        }

        IReadOnlyList<DashboardLogRecord> records = await Dashboard.WaitForLogsAsync("from-env", 1, Arrival);
        Assert.Equal("settings", Assert.Single(records).Resource["deployment.environment.name"]);
    }

    [Fact]
    public async Task An_unusableState_directory_is_reported_and_records_still_flow()
    {
        string file = Path.Combine(State, "not-a-directory");
        File.WriteAllText(file, "");
        var agentEvents = new CapturingLoggerProvider();
        var console = new StringWriter();
        var settings = new TelemetrySettings { Endpoint = Dashboard.GrpcEndpoint.ToString(), StateDirectory = Path.Combine(file, "state") };
        IConfigurationRoot env = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "no-state-dir" }).Build();
        using (TelemetryPipeline pipeline = TelemetryPipeline.Start(settings, new ConsoleDecisionSink(console, DecisionRecordFormat.Json), b => b.AddProvider(agentEvents), env))
        {
            foreach ((var a, var d) in SampleDecisions.All())
            {
                pipeline.Decisions.Record(a, d);
            }
        }

        Assert.Equal(4, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, agentEvents.Entries.Count(e => e.EventName == AgentEventNames.StorageUnavailable));
        Expected.AllSamplesArrived(await Dashboard.WaitForLogsAsync("no-state-dir", 4, Arrival, r => r.EventName == DecisionAttributes.EventName));
    }

    [Fact]
    public void Without_an_endpoint_decisions_go_to_the_console_only()
    {
        var console = new StringWriter();
        IConfigurationRoot env = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        using (TelemetryPipeline pipeline = TelemetryPipeline.Start(new TelemetrySettings { StateDirectory = State }, new ConsoleDecisionSink(console, DecisionRecordFormat.Json), environment: env))
        {
            Assert.False(pipeline.ExportsOtlp);
            Assert.Null(pipeline.Endpoint);
            foreach ((var a, var d) in SampleDecisions.All())
            {
                pipeline.Decisions.Record(a, d);
            }
        }

        Assert.Equal(4, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Empty(Directory.GetFileSystemEntries(State));
    }
}
