using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// A running Aspire dashboard on 127.0.0.1 (dynamic ports unless fixed), with its telemetry HTTP API enabled, HOME
/// in a temp directory, stopped by pid on dispose. Read back what it received with <see cref="GetLogsAsync"/>.
/// Isolate tests by giving each producer its own OTEL_SERVICE_NAME (the API filters by it).
/// </summary>
internal sealed partial class AspireDashboard : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _home;
    private readonly HttpClient _http;
    private readonly List<string> _output = [];

    private AspireDashboard(Process process, string home, Uri frontend, Uri grpc, Uri http)
    {
        _process = process;
        _home = home;
        Frontend = frontend;
        GrpcEndpoint = grpc;
        HttpEndpoint = http;
        _http = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The dashboard binary from the NuGet package, as the test project's build recorded it.</summary>
    public static string? BinaryPath { get; } = Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "AspireDashboardPath")?.Value is { Length: > 0 } p && File.Exists(p) ? p : null;

    public Uri Frontend { get; }

    /// <summary>For OTEL_EXPORTER_OTLP_ENDPOINT with the default (grpc) protocol.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>For OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf (no gzip: the dashboard cannot decompress it).</summary>
    public Uri HttpEndpoint { get; }

    public int ProcessId => _process.Id;

    public static async Task<AspireDashboard> StartAsync(AspireDashboardOptions? options = null)
    {
        options ??= new AspireDashboardOptions();
        string binary = BinaryPath ?? throw new InvalidOperationException("Aspire.Dashboard.Sdk.linux-x64 is not restored: import tests/Shared/AspireDashboard/AspireDashboard.props");
        EnsureExecutable(binary);
        string home = Directory.CreateTempSubdirectory("kmodguard-dashboard-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = home; // its SQLite store and lock, removed with home
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{options.GrpcPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{options.HttpPort}";
        start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Api__Enabled"] = "true";
        start.Environment["Dashboard__Api__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__TelemetryLimits__MaxLogCount"] = options.MaxLogCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (options.OtlpApiKey is { } key)
        {
            start.Environment["Dashboard__Otlp__AuthMode"] = "ApiKey";
            start.Environment["Dashboard__Otlp__PrimaryApiKey"] = key;
        }
        else
        {
            start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        var output = new List<string>();
        var frontend = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var grpc = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var http = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            Match m = ListeningLine().Match(line);
            if (m.Success)
            {
                var uri = new Uri(m.Groups["url"].Value);
                _ = m.Groups["what"].Value switch
                {
                    "OTLP/gRPC" => grpc.TrySetResult(uri),
                    "OTLP/HTTP" => http.TrySetResult(uri),
                    _ => frontend.TrySetResult(uri),
                };
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Task all = Task.WhenAll(frontend.Task, grpc.Task, http.Task);
            if (await Task.WhenAny(all, process.WaitForExitAsync(), Task.Delay(StartTimeout)) != all)
            {
                throw new InvalidOperationException($"the dashboard did not start:\n{string.Join('\n', output)}");
            }

            var dashboard = new AspireDashboard(process, home, frontend.Task.Result, grpc.Task.Result, http.Task.Result);
            dashboard._output.AddRange(output);
            await dashboard.WaitUntilReadyAsync();
            return dashboard;
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>Log records received from <paramref name="serviceName"/> (empty when it has sent nothing yet).</summary>
    public async Task<IReadOnlyList<DashboardLogRecord>> GetLogsAsync(string serviceName)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"api/telemetry/logs?resource={Uri.EscapeDataString(serviceName)}&limit=1000000", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        var records = new List<DashboardLogRecord>();
        foreach (JsonElement resourceLogs in doc.RootElement.GetProperty("data").GetProperty("resourceLogs").EnumerateArray())
        {
            Dictionary<string, string> resource = Attributes(resourceLogs.GetProperty("resource"));
            foreach (JsonElement scopeLogs in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
            {
                string scope = scopeLogs.TryGetProperty("scope", out JsonElement s) && s.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "" : "";
                foreach (JsonElement r in scopeLogs.GetProperty("logRecords").EnumerateArray())
                {
                    records.Add(new DashboardLogRecord(
                        Str(r, "eventName"),
                        Str(r, "severityText"),
                        r.TryGetProperty("body", out JsonElement body) ? Str(body, "stringValue") : null,
                        scope,
                        Attributes(r),
                        resource,
                        r.TryGetProperty("timeUnixNano", out JsonElement t) ? ulong.Parse(t.ValueKind == JsonValueKind.String ? t.GetString()! : t.GetRawText(), System.Globalization.CultureInfo.InvariantCulture) : 0));
                }
            }
        }

        return records;
    }

    /// <summary>How many log records <paramref name="serviceName"/> has sent (cheap: reads the count, not the records).</summary>
    public async Task<long> CountLogsAsync(string serviceName)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"api/telemetry/logs?resource={Uri.EscapeDataString(serviceName)}&limit=1", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return doc.RootElement.GetProperty("totalCount").GetInt64();
    }

    /// <summary>Polls until <paramref name="serviceName"/> has at least <paramref name="count"/> records matching <paramref name="filter"/>, or the timeout passes.</summary>
    public async Task<IReadOnlyList<DashboardLogRecord>> WaitForLogsAsync(string serviceName, int count, TimeSpan timeout, Func<DashboardLogRecord, bool>? filter = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<DashboardLogRecord> records = [.. (await GetLogsAsync(serviceName)).Where(filter ?? (_ => true))];
            if (records.Count >= count || clock.Elapsed > timeout)
            {
                return records;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>What the dashboard printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        Stop(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        // "/" redirects to the UI; the API answers 200 once the dashboard serves requests.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using HttpResponseMessage r = await _http.GetAsync(new Uri("api/telemetry/logs?limit=1", UriKind.Relative));
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < StartTimeout)
            {
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"the dashboard API did not answer:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static void EnsureExecutable(string binary)
    {
        // The package extracts it 0744; make sure the owner can run it whatever the umask did.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(binary);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(binary, mode | UnixFileMode.UserExecute);
        }
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out JsonElement list))
        {
            foreach (JsonElement a in list.EnumerateArray())
            {
                JsonElement value = a.GetProperty("value");
                JsonProperty first = value.EnumerateObject().FirstOrDefault();
                attributes[a.GetProperty("key").GetString()!] = first.Value.ValueKind == JsonValueKind.String ? first.Value.GetString()! : first.Value.GetRawText();
            }
        }

        return attributes;
    }

    private static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    [GeneratedRegex(@"^\s*(?<what>Now|OTLP/gRPC|OTLP/HTTP) listening on: (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
