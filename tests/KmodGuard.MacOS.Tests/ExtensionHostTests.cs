using System.Text.Json;
using KmodGuard.MacOS.Extension;
using KmodGuard.Tests.Shared;
using KmodGuard.Tests.Shared.MacOS;
using static KmodGuard.Tests.Shared.MacOS.FakeEndpointSecurity;

namespace KmodGuard.MacOS.Tests;

/// <summary>The extension executable's host, run on Linux against the shim built with the ES test double.</summary>
[Collection(FakeEsCollection.Name)]
public sealed class ExtensionHostTests : IDisposable
{
    private readonly string _settings = Path.GetTempFileName();

    public void Dispose() => File.Delete(_settings);

    private void WriteSettings(string entries) => File.WriteAllText(_settings, $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0"><dict>{entries}</dict></plist>
        """);

    private const string EnforcingPolicy = """
        <key>Policy</key><string>version: 1
        mode: enforce
        default: allow
        rules:
          - id: deny-rootkits
            action: deny
            when:
              module.name: ["*.rootkit"]
        </string>
        """;

    [Fact]
    public void Check_validates_settings_and_policy_without_starting_a_client()
    {
        WriteSettings(EnforcingPolicy + "<key>FailClosed</key><true/><key>OTEL_EXPORTER_OTLP_ENDPOINT</key><string>http://127.0.0.1:4318</string>");
        var (code, _, err) = Run(["--settings", _settings, "--check"]);
        Assert.Equal(ExtensionHost.Success, code);
        Assert.Contains($"settings from {_settings}", err, StringComparison.Ordinal);
        Assert.Contains("mode enforce", err, StringComparison.Ordinal);
        Assert.Contains("fail closed", err, StringComparison.Ordinal);
        Assert.Contains("OTLP endpoint http://127.0.0.1:4318", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<key>FailClosed</key><string>yes</string>", "FailClosed must be a boolean")]
    [InlineData("<key>Policy</key><string>version: 7</string>", "version")]
    [InlineData("<key>PolicyPath</key><string>/nonexistent/policy.yaml</string>", "cannot read the policy")]
    public void Bad_configuration_is_exit_code_2_with_the_reason(string entries, string reason)
    {
        WriteSettings(entries);
        var (code, _, err) = Run(["--settings", _settings, "--check"]);
        Assert.Equal(ExtensionHost.BadConfiguration, code);
        Assert.Contains("configuration error", err, StringComparison.Ordinal);
        Assert.Contains(reason, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_arguments_print_usage() => Assert.Equal(ExtensionHost.BadConfiguration, Run(["--frobnicate"]).Code);

    [SkippableFact]
    public void Runs_the_client_blocks_a_denied_kext_and_prints_its_decision_record()
    {
        FakeShim.Require();
        WriteSettings(EnforcingPolicy);
        using var stop = new CancellationTokenSource();
        var (code, output, err) = Run(["--settings", _settings], stdout =>
        {
            Response? r = WaitResponse(Inject(new KextMessage(AuthKextLoad, "com.evil.rootkit")), TimeSpan.FromSeconds(5));
            Assert.Equal(1, r?.Result); // denied
            // The record is written after the answer; stopping first would drop it (no callbacks once stopping).
            SpinWait.SpinUntil(() => stdout.GetStringBuilder().Length > 0, TimeSpan.FromSeconds(5));
            stop.Cancel();
        }, stop.Token);
        Assert.Equal(ExtensionHost.Success, code);
        using JsonDocument record = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        JsonElement root = record.RootElement;
        Assert.Equal("deny", root.GetProperty("kmodguard.verdict").GetString());
        Assert.Equal("blocked", root.GetProperty("kmodguard.action").GetString());
        Assert.Equal("darwin", root.GetProperty("os.type").GetString());
        Assert.Equal("auth_kextload", root.GetProperty("kmodguard.macos.event_type").GetString());
        Assert.Contains("stopped;", err, StringComparison.Ordinal);
        Assert.Equal("", Violations());
    }

    [SkippableTheory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Allow_and_deny_decisions_reach_a_real_collector_configured_by_OTEL_settings(string protocol)
    {
        FakeShim.Require();
        await using AspireDashboard dashboard = await AspireDashboard.StartAsync();
        string service = $"kmodguard-macos-{protocol.Replace('/', '-')}-{Environment.ProcessId}";
        Uri endpoint = protocol == "grpc" ? dashboard.GrpcEndpoint : dashboard.HttpEndpoint;
        WriteSettings(EnforcingPolicy + $"<key>OTEL_EXPORTER_OTLP_ENDPOINT</key><string>{endpoint}</string>"
            + $"<key>OTEL_EXPORTER_OTLP_PROTOCOL</key><string>{protocol}</string><key>OTEL_SERVICE_NAME</key><string>{service}</string>");
        using var stop = new CancellationTokenSource();
        var (code, output, _) = Run(["--settings", _settings], stdout =>
        {
            Assert.Equal(0, WaitResponse(Inject(new KextMessage(AuthKextLoad, "com.vendor.driver")), TimeSpan.FromSeconds(5))?.Result);
            Assert.Equal(1, WaitResponse(Inject(new KextMessage(AuthKextLoad, "com.evil.rootkit")), TimeSpan.FromSeconds(5))?.Result);
            SpinWait.SpinUntil(() => stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2, TimeSpan.FromSeconds(5));
            stop.Cancel();
        }, stop.Token);
        Assert.Equal(ExtensionHost.Success, code);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"allow\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"kmodguard.verdict\":\"deny\"", StringComparison.Ordinal));
        IReadOnlyList<DashboardLogRecord> received = await dashboard.WaitForLogsAsync(service, lines.Length, TimeSpan.FromSeconds(30),
            r => r.EventName == "kmodguard.module.decision");
        Assert.Null(ConsoleLineExpectation.Arrived(lines, received));
    }

    [SkippableFact]
    public void A_client_that_cannot_start_is_exit_code_3_with_the_fix()
    {
        FakeShim.Require();
        SetNewClientResult(4); // ERR_NOT_PERMITTED
        WriteSettings("");
        var (code, _, err) = Run(["--settings", _settings]);
        Assert.Equal(ExtensionHost.ClientFailed, code);
        Assert.Contains("Full Disk Access", err, StringComparison.Ordinal);
    }

    /// <summary>Runs the host on a thread of its own, as the extension's main thread would.</summary>
    private static (int Code, string Out, string Err) Run(string[] args, Action<StringWriter>? whileRunning = null, CancellationToken stop = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = -1;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                code = ExtensionHost.Run(args, stdout, stderr, whileRunning is null ? null : _ => whileRunning(stdout), stop);
            }
#pragma warning disable CA1031 // rethrown on the test thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the extension host did not stop");
        if (failure is not null)
        {
            throw new InvalidOperationException("the extension host failed", failure);
        }

        return (code, stdout.ToString(), stderr.ToString());
    }
}
