using KmodGuard.Core.Telemetry;

namespace KmodGuard.Agent.Configuration;

/// <summary>
/// The <c>telemetry:</c> section: a plain mirror of the OpenTelemetry exporter settings. The standard OTEL_* environment
/// variables override it (<see cref="TelemetryEnvironment"/>).
/// </summary>
internal sealed record TelemetryConfig
{
    public const string DefaultServiceName = "kmodguard";

    /// <summary>How decisions are printed on stdout (the journal, under systemd).</summary>
    public DecisionRecordFormat ConsoleFormat { get; init; } = DecisionRecordFormat.Json;

    /// <summary>OTLP collector; null sends decisions to the console only.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>Request headers, e.g. an API key for the collector.</summary>
    public IReadOnlyDictionary<string, string> OtlpHeaders { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public TimeSpan OtlpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>Extra resource attributes (deployment.environment.name, ...).</summary>
    public IReadOnlyDictionary<string, string> ResourceAttributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
