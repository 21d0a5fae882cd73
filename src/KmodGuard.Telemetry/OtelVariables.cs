namespace KmodGuard.Telemetry;

/// <summary>The OpenTelemetry environment variables KmodGuard sets defaults for or reads.</summary>
internal static class OtelVariables
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string LogsEndpoint = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";
    public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string Headers = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string Timeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string SdkDisabled = "OTEL_SDK_DISABLED";
    public const string BatchScheduleDelay = "OTEL_BLRP_SCHEDULE_DELAY";
    public const string Retry = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";
    public const string DiskRetryDirectory = "OTEL_DOTNET_EXPERIMENTAL_OTLP_DISK_RETRY_DIRECTORY_PATH";
}
