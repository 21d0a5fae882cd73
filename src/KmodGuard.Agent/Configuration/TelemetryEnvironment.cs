using System.Globalization;

namespace KmodGuard.Agent.Configuration;

/// <summary>
/// The standard OpenTelemetry environment variables, which override the <c>telemetry:</c> section (OpenTelemetry's
/// own rule: the environment configures the exporter). A malformed value is ignored with a warning, as the SDK does.
/// </summary>
internal static class TelemetryEnvironment
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string Headers = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string Timeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";

    public static TelemetryConfig Apply(TelemetryConfig file, Func<string, string?> variable, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(warnings);
        TelemetryConfig c = file;
        if (Value(variable, Endpoint) is string endpoint)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https")
            {
                c = c with { OtlpEndpoint = uri };
            }
            else
            {
                warnings.Add($"{Endpoint}: '{endpoint}' is not an http:// or https:// URL; ignored");
            }
        }

        if (Value(variable, Protocol) is string protocol)
        {
            if (protocol is "grpc" or "http/protobuf")
            {
                c = c with { OtlpProtocol = protocol };
            }
            else
            {
                warnings.Add($"{Protocol}: '{protocol}' is neither grpc nor http/protobuf; ignored");
            }
        }

        if (Value(variable, Headers) is string headers)
        {
            c = c with { OtlpHeaders = ParseList(Headers, headers, warnings) };
        }

        if (Value(variable, Timeout) is string timeout)
        {
            if (int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out int ms) && ms > 0)
            {
                c = c with { OtlpTimeout = TimeSpan.FromMilliseconds(ms) };
            }
            else
            {
                warnings.Add($"{Timeout}: '{timeout}' is not a positive number of milliseconds; ignored");
            }
        }

        if (Value(variable, ServiceName) is string service)
        {
            c = c with { ServiceName = service };
        }

        if (Value(variable, ResourceAttributes) is string attributes)
        {
            // Merged: the file's attributes stay unless the environment names the same key.
            var merged = new Dictionary<string, string>(c.ResourceAttributes, StringComparer.Ordinal);
            foreach ((string key, string value) in ParseList(ResourceAttributes, attributes, warnings))
            {
                merged[key] = value;
            }

            c = c with { ResourceAttributes = merged };
        }

        return c;
    }

    private static string? Value(Func<string, string?> variable, string name) =>
        variable(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>The OTel list format: <c>key=value,key2=value2</c>, values percent-encoded.</summary>
    private static Dictionary<string, string> ParseList(string name, string text, List<string> warnings)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                warnings.Add($"{name}: '{item}' is not key=value; ignored");
                continue;
            }

            result[item[..eq].Trim()] = Uri.UnescapeDataString(item[(eq + 1)..].Trim());
        }

        return result;
    }
}
