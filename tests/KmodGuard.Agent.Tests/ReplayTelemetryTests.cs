using System.Diagnostics;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Agent.Tests;

/// <summary>
/// <c>kmodguard replay</c> run as users run it, configured only by the standard OpenTelemetry environment variables:
/// its allow and deny decisions arrive at a real receiver with exactly the keys and values of its console lines.
/// </summary>
public sealed class ReplayTelemetryTests
{
    private static string Agent => Path.Combine(AppContext.BaseDirectory, "kmodguard");

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Replayed_decisions_arrive_at_the_collector_with_every_key(string protocol)
    {
        await using AspireDashboard dashboard = await AspireDashboard.StartAsync();
        string service = $"kmodguard-replay-{protocol.Replace('/', '-')}-{Environment.ProcessId}";
        var psi = new ProcessStartInfo(Agent) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "replay", Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", "sample", "audit.log") })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = (protocol == "grpc" ? dashboard.GrpcEndpoint : dashboard.HttpEndpoint).ToString();
        psi.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol;
        psi.Environment["OTEL_SERVICE_NAME"] = service;
        using Process replay = Process.Start(psi)!;
        Task<string> stderr = replay.StandardError.ReadToEndAsync();
        string stdout = await replay.StandardOutput.ReadToEndAsync();
        await replay.WaitForExitAsync();
        Assert.True(replay.ExitCode == 0, await stderr);

        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"allow\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"deny\"", StringComparison.Ordinal));
        IReadOnlyList<DashboardLogRecord> received = await dashboard.WaitForLogsAsync(service, lines.Length, TimeSpan.FromSeconds(30),
            r => r.EventName == "kmodguard.module.decision");
        Assert.Null(ConsoleLineExpectation.Arrived(lines, received));
    }
}
