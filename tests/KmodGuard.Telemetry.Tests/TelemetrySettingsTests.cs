namespace KmodGuard.Telemetry.Tests;

public class TelemetrySettingsTests
{
    [Fact]
    public void Settings_become_the_standard_OTEL_variables_with_disk_retry_in_the_state_directory()
    {
        var settings = new TelemetrySettings
        {
            Endpoint = "http://collector:4318",
            Protocol = "http/protobuf",
            Headers = "x-api-key=k",
            Timeout = TimeSpan.FromSeconds(3),
            ServiceName = "kmodguard-edge",
            StateDirectory = "/srv/kmodguard",
        };
        settings.ResourceAttributes["deployment.environment.name"] = "prod, eu/1";

        Dictionary<string, string?> c = settings.ToOtelConfiguration();
        Assert.Equal("http://collector:4318", c["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", c["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-api-key=k", c["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("3000", c["OTEL_EXPORTER_OTLP_TIMEOUT"]);
        Assert.Equal("kmodguard-edge", c["OTEL_SERVICE_NAME"]);
        Assert.Equal("deployment.environment.name=prod%2C%20eu%2F1", c["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("disk", c["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.Equal("/srv/kmodguard/otlp", c["OTEL_DOTNET_EXPERIMENTAL_OTLP_DISK_RETRY_DIRECTORY_PATH"]);
    }

    [Fact]
    public void Unset_settings_leave_the_SDK_defaults_and_disk_retry_can_be_turned_off()
    {
        Dictionary<string, string?> c = new TelemetrySettings { DiskRetry = false }.ToOtelConfiguration();
        Assert.False(c.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(c.ContainsKey("OTEL_SERVICE_NAME"));
        Assert.False(c.ContainsKey("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"));
    }
}
