using KmodGuard.Telemetry;

namespace KmodGuard.Agent.Configuration;

/// <summary>The configuration file's <c>telemetry:</c> section as the telemetry pipeline's settings; the OTEL_*
/// environment variables are applied on top by the pipeline itself.</summary>
internal static class TelemetrySettingsMapping
{
    public static TelemetrySettings ToSettings(this TelemetryConfig config, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = new TelemetrySettings
        {
            Endpoint = config.OtlpEndpoint?.ToString(),
            Protocol = config.OtlpProtocol,
            Headers = config.OtlpHeaders.Count == 0 ? null : string.Join(',', config.OtlpHeaders.Select(h => $"{h.Key}={h.Value}")),
            Timeout = config.OtlpTimeout,
            ServiceName = config.ServiceName,
            StateDirectory = stateDirectory,
        };
        foreach ((string key, string value) in config.ResourceAttributes)
        {
            settings.ResourceAttributes[key] = value;
        }

        return settings;
    }

}
