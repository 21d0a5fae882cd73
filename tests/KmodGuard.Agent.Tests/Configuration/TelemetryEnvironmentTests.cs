using KmodGuard.Agent.Configuration;

namespace KmodGuard.Agent.Tests.Configuration;

public class TelemetryEnvironmentTests
{
    private static readonly TelemetryConfig File = new()
    {
        OtlpEndpoint = new Uri("http://file:4317"),
        OtlpHeaders = new Dictionary<string, string> { ["from"] = "file" },
        ServiceName = "from-file",
        ResourceAttributes = new Dictionary<string, string> { ["a"] = "file", ["b"] = "file" },
    };

    private static TelemetryConfig Apply(Dictionary<string, string> env, List<string>? warnings = null) =>
        TelemetryEnvironment.Apply(File, name => env.GetValueOrDefault(name), warnings ?? []);

    [Fact]
    public void Without_variables_the_file_stands()
    {
        Assert.Same(File, Apply([]));
    }

    [Fact]
    public void Otel_variables_override_the_file()
    {
        TelemetryConfig c = Apply(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://env:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-api-key=a%20b, tenant=7",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1500",
            ["OTEL_SERVICE_NAME"] = "from-env",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "b=env,c=env",
        });
        Assert.Equal(new Uri("https://env:4318"), c.OtlpEndpoint);
        Assert.Equal("http/protobuf", c.OtlpProtocol);
        Assert.Equal(new Dictionary<string, string> { ["x-api-key"] = "a b", ["tenant"] = "7" }, c.OtlpHeaders);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), c.OtlpTimeout);
        Assert.Equal("from-env", c.ServiceName);
        // Resource attributes merge: the environment wins per key.
        Assert.Equal(new Dictionary<string, string> { ["a"] = "file", ["b"] = "env", ["c"] = "env" }, c.ResourceAttributes);
    }

    [Fact]
    public void Malformed_variables_are_ignored_with_a_warning()
    {
        var warnings = new List<string>();
        TelemetryConfig c = Apply(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "not a url",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "carrier-pigeon",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "-5",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "novalue,k=v",
        }, warnings);
        Assert.Equal(File.OtlpEndpoint, c.OtlpEndpoint);
        Assert.Equal(File.OtlpProtocol, c.OtlpProtocol);
        Assert.Equal(File.OtlpTimeout, c.OtlpTimeout);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, c.OtlpHeaders);
        Assert.Equal(4, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url'", StringComparison.Ordinal));
    }
}
