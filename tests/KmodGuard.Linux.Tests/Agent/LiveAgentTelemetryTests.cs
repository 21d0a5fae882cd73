using System.Text.Json;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Linux.Tests.Agent;

/// <summary>
/// The live agent's decisions arrive at a real OTLP receiver (the Aspire dashboard) configured only through the
/// standard environment variables, over gRPC and over http/protobuf, each record carrying exactly the keys and
/// values of its console JSON line.
/// </summary>
[Collection(AuditSocketCollection.Name)]
public sealed class LiveAgentTelemetryTests : IDisposable
{
    private const string Policy = """
        version: 1
        mode: enforce
        default: allow
        rules:
          - id: deny-evil-unloader
            description: The test's hostile unloader
            action: deny
            when:
              operation: unload
              process.name: ["evil loader"]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-otlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Allow_and_deny_decisions_arrive_at_the_collector_with_every_key(string protocol)
    {
        LiveAudit.SkipUnlessAvailable();
        NativeTools.SkipUnlessBuilt(NativeTools.ModTest);
        LiveAudit.SkipIfDaemonRegistered();

        await using AspireDashboard dashboard = await AspireDashboard.StartAsync();
        string service = $"kmodguard-live-{protocol.Replace('/', '-')}-{Environment.ProcessId}";
        File.WriteAllText(Path.Combine(_dir, "policy.yaml"), Policy);
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = (protocol == "grpc" ? dashboard.GrpcEndpoint : dashboard.HttpEndpoint).ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_SERVICE_NAME"] = service,
        };
        string[] lines;
        using (AgentProcess agent = AgentProcess.StartRun(_dir, Path.Combine(_dir, "policy.yaml"), environment))
        {
            NativeTools.Run(NativeTools.ModTest, "init");
            NativeTools.Run(NativeTools.ModTest, "delete", "rootkit", "--comm", "evil loader");
            agent.WaitForRecord(r => r.TryGetProperty("kmodguard.verdict", out JsonElement v) && v.GetString() == "deny");
            Assert.Equal(0, agent.Stop());
            lines = [.. agent.Records().Select(r => r.GetRawText())];
        }

        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"allow\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"deny\"", StringComparison.Ordinal));
        IReadOnlyList<DashboardLogRecord> received = await dashboard.WaitForLogsAsync(service, lines.Length, TimeSpan.FromSeconds(30),
            r => r.EventName == "kmodguard.module.decision");
        Assert.Null(ConsoleLineExpectation.Arrived(lines, received));
    }
}
