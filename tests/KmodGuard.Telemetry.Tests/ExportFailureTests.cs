using System.Text.RegularExpressions;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// A wrong endpoint, a refused connection, a TLS failure or a 4xx answer: one clear, rate-limited agent line on
/// stderr, while every decision still goes to the console and the producer neither hangs nor fails.
/// </summary>
public sealed partial class ExportFailureTests(DashboardFixture fixture) : StateDirectoryTest, IClassFixture<DashboardFixture>
{
    public static TheoryData<string> Cases => ["refused-grpc", "refused-http", "tls-to-plain-http"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Export_failure_is_one_agent_line_and_the_console_keeps_working(string failure)
    {
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = failure,
            ["KMODGUARD_STATE_DIRECTORY"] = State,
            ["KMODGUARD_PRODUCER_COUNT"] = "25",
            ["KMODGUARD_STOP_TIMEOUT_SECONDS"] = "2",
        };
        switch (failure)
        {
            case "refused-grpc":
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}";
                break;
            case "refused-http":
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}";
                env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                break;
            default:
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = new UriBuilder(fixture.Dashboard.HttpEndpoint) { Scheme = "https" }.Uri.ToString();
                env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                break;
        }

        Producer.Result run = await Producer.RunAsync(env, TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(100, run.Stdout.Length);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed}");
        Assert.Single(ExportFailedLine().Matches(run.Stderr));
        Assert.Contains(env["OTEL_EXPORTER_OTLP_ENDPOINT"].TrimEnd('/'), run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The console logger's line for <see cref="AgentLog.ExportFailed"/>.</summary>
    [GeneratedRegex(@"OpenTelemetry export to \S+ failed")]
    internal static partial Regex ExportFailedLine();
}
