namespace KmodGuard.Telemetry;

/// <summary>
/// Telemetry settings a configuration file can fill (the agent's kmodguard.yaml). The standard OTEL_* environment
/// variables override them; whatever is left unset takes the OpenTelemetry SDK's default.
/// </summary>
public sealed class TelemetrySettings
{
    /// <summary>OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT). Without one, decisions go to the console only.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c> (OTEL_EXPORTER_OTLP_PROTOCOL).</summary>
    public string? Protocol { get; set; }

    /// <summary>Request headers as <c>key=value,key2=value2</c> (OTEL_EXPORTER_OTLP_HEADERS), e.g. an API key.</summary>
    public string? Headers { get; set; }

    /// <summary>Time allowed for one export request (OTEL_EXPORTER_OTLP_TIMEOUT).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>service.name (OTEL_SERVICE_NAME); <c>kmodguard</c> when neither this nor the environment names one.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES); that variable in the environment replaces this list.</summary>
    public IDictionary<string, string> ResourceAttributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where undelivered records wait: <c>otlp/</c> (the SDK's disk retry) and <c>spill/</c> (queue overflow).</summary>
    public string StateDirectory { get; set; } = "/var/lib/kmodguard";

    /// <summary>Decisions held in memory on their way to the exporter before new ones go to the disk spill.</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>Bound of the disk spill; at the bound, new overflowing records are dropped (counted and reported).</summary>
    public long SpillLimitBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Records handed to the SDK per export request; the SDK's queue never holds more than one batch of ours.</summary>
    public int ExportBatchSize { get; set; } = 512;

    /// <summary>How long stopping may spend exporting queued records; the rest go to the spill for the next start.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep failed export requests on disk and resend them (OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=disk).</summary>
    public bool DiskRetry { get; set; } = true;

    /// <summary>At most one export-failure line per this interval; the next one says how many were suppressed.</summary>
    public TimeSpan FailureReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal string SpillDirectory => Path.Combine(StateDirectory, "spill");

    internal string DiskRetryDirectory => Path.Combine(StateDirectory, "otlp");

    /// <summary>These settings as OTEL_* configuration keys: the layer below the environment.</summary>
    internal Dictionary<string, string?> ToOtelConfiguration()
    {
        var c = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [OtelVariables.Endpoint] = Endpoint,
            [OtelVariables.Protocol] = Protocol,
            [OtelVariables.Headers] = Headers,
            [OtelVariables.Timeout] = Timeout is { } t ? ((long)t.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            [OtelVariables.ServiceName] = ServiceName,
            [OtelVariables.ResourceAttributes] = ResourceAttributes.Count == 0 ? null
                : string.Join(',', ResourceAttributes.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")),
            // The spec's default; the SDK's is 5 s. Decisions are flushed per batch anyway, agent events wait for this.
            [OtelVariables.BatchScheduleDelay] = "1000",
        };
        if (DiskRetry)
        {
            c[OtelVariables.Retry] = "disk";
            c[OtelVariables.DiskRetryDirectory] = DiskRetryDirectory;
        }

        return c.Where(kv => kv.Value is not null).ToDictionary(StringComparer.Ordinal);
    }
}
