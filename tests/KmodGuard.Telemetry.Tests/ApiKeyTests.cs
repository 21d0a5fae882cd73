using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>OTEL_EXPORTER_OTLP_HEADERS carries an API key to a receiver that requires one; without it, a 4xx.</summary>
public sealed class ApiKeyTests : StateDirectoryTest, IAsyncLifetime
{
    private const string Key = "s3cret-kmodguard";
    private AspireDashboard _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await AspireDashboard.StartAsync(new AspireDashboardOptions { OtlpApiKey = Key });

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task With_the_key_in_OTEL_EXPORTER_OTLP_HEADERS_records_arrive(string protocol)
    {
        string service = $"with-key-{protocol.Replace('/', '-')}";
        Producer.Result run = await Producer.RunAsync(Env(service, protocol, withKey: true));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Expected.AllSamplesArrived(await _dashboard.WaitForLogsAsync(service, 4, TimeSpan.FromSeconds(20), r => r.EventName == DecisionAttributes.EventName));
        Assert.Empty(ExportFailureTests.ExportFailedLine().Matches(run.Stderr));
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Without_the_key_the_receiver_refuses_one_line_says_so_and_the_console_keeps_working(string protocol)
    {
        string service = $"without-key-{protocol.Replace('/', '-')}";
        Producer.Result run = await Producer.RunAsync(Env(service, protocol, withKey: false));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(4, run.Stdout.Length);
        Assert.Single(ExportFailureTests.ExportFailedLine().Matches(run.Stderr));
        Assert.Empty(await _dashboard.GetLogsAsync(service));
    }

    private Dictionary<string, string> Env(string service, string protocol, bool withKey)
    {
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = service,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = (protocol == "grpc" ? _dashboard.GrpcEndpoint : _dashboard.HttpEndpoint).ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
        };
        if (withKey)
        {
            env["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={Key}";
        }

        return env;
    }
}
