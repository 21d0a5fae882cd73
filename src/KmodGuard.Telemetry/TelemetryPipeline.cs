using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace KmodGuard.Telemetry;

/// <summary>
/// Where decisions and agent events go. Always to the console sink the agent passes in; with an OTLP endpoint
/// (from <see cref="TelemetrySettings"/> or OTEL_EXPORTER_OTLP_[LOGS_]ENDPOINT) also to OpenTelemetry as log
/// records, with the agent's metrics. Configured like any OpenTelemetry SDK (UseOtlpExporter: every standard
/// OTEL_* variable, per-signal ones included), the environment overriding the settings.
/// </summary>
public sealed class TelemetryPipeline : IDisposable
{
    private readonly OpenTelemetrySdk? _sdk;
    private readonly OtlpDecisionSink? _otlp;
    private readonly DecisionSpill? _spill;
    private readonly ExportFailureReporter? _failures;
    private readonly ILoggerFactory _loggerFactory;

    private TelemetryPipeline(IDecisionSink decisions, ILoggerFactory loggerFactory, string? endpoint, OpenTelemetrySdk? sdk, OtlpDecisionSink? otlp, DecisionSpill? spill, ExportFailureReporter? failures)
    {
        Decisions = decisions;
        Endpoint = endpoint;
        _loggerFactory = loggerFactory;
        AgentLogger = loggerFactory.CreateLogger(AgentLog.Category);
        _sdk = sdk;
        _otlp = otlp;
        _spill = spill;
        _failures = failures;
    }

    /// <summary>Where the agent records decisions: the console, and OpenTelemetry when an endpoint is configured. Never blocks on the network.</summary>
    public IDecisionSink Decisions { get; }

    /// <summary>Logger for agent events (<see cref="AgentLog"/> methods); also exported when an endpoint is configured.</summary>
    public ILogger AgentLogger { get; }

    /// <summary>Creates loggers that reach the same destinations as <see cref="AgentLogger"/>.</summary>
    public ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>Decisions waiting in memory for export.</summary>
    public long QueueDepth => _otlp?.Queued ?? 0;

    /// <summary>Failed export requests since start.</summary>
    public long ExportFailures => _failures?.Failures ?? 0;

    /// <summary>True when records are exported over OTLP, false when they only go to the console.</summary>
    public bool ExportsOtlp => _sdk is not null;

    /// <summary>The OTLP logs endpoint in use, as resolved from the settings and the OTEL_* variables; null when the
    /// records only go to the console.</summary>
    public string? Endpoint { get; }

    /// <param name="settings">From the agent's configuration file; OTEL_* variables in <paramref name="environment"/> override them.</param>
    /// <param name="console">The console sink (JSON lines or text); always used.</param>
    /// <param name="configureLogging">Adds the agent's other log providers (console, journald) for agent events.</param>
    /// <param name="environment">The environment variables to read; the process environment when null (tests pass their own).</param>
    public static TelemetryPipeline Start(TelemetrySettings settings, IDecisionSink console, Action<ILoggingBuilder>? configureLogging = null, IConfiguration? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        environment ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToOtelConfiguration())
            .AddConfiguration(environment)
            .Build();

        string? endpoint = configuration[OtelVariables.LogsEndpoint] ?? configuration[OtelVariables.Endpoint];
        if (string.IsNullOrWhiteSpace(endpoint) || string.Equals(configuration[OtelVariables.SdkDisabled], "true", StringComparison.OrdinalIgnoreCase))
        {
            ILoggerFactory consoleOnly = Microsoft.Extensions.Logging.LoggerFactory.Create(b => configureLogging?.Invoke(b));
            return new TelemetryPipeline(console, consoleOnly, null, null, null, null, null);
        }

        // The SDK throws while building the exporter if its disk-retry directory cannot be created: check first,
        // and fall back to in-memory retry (reported once the agent logger exists).
        string? retryDirectory = configuration[OtelVariables.DiskRetryDirectory];
        string? retryError = null;
        if (string.Equals(configuration[OtelVariables.Retry], "disk", StringComparison.OrdinalIgnoreCase)
            && (retryDirectory is null ? "no directory configured" : PrivateDirectory.TryCreate(retryDirectory)) is { } error)
        {
            retryError = error;
            configuration = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection([new(OtelVariables.Retry, "in_memory")])
                .Build();
        }

        var failures = new ExportFailureReporter();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.Create(builder =>
        {
            builder.Services.AddSingleton(configuration);
            builder.Services.AddLogging(b => configureLogging?.Invoke(b));
            builder
                .ConfigureResource(r => r.Clear()
                    .AddService("kmodguard", serviceVersion: HostResource.ServiceVersion())
                    .AddAttributes(HostResource.Attributes())
                    .AddTelemetrySdk()
                    .AddEnvironmentVariableDetector())
                .WithLogging(
                    logging => logging.AddProcessor(new RecordTimestamps()),
                    options => options.IncludeFormattedMessage = false)
                .WithMetrics(metrics => metrics.AddMeter(KmodGuardMetrics.MeterName))
                .UseOtlpExporter();
        });

        ILoggerFactory loggerFactory = sdk.GetLoggerFactory();
        ILogger agent = loggerFactory.CreateLogger(AgentLog.Category);
        failures.Start(agent, endpoint, settings.FailureReportInterval);
        if (retryError is not null)
        {
            agent.StorageUnavailable(retryDirectory ?? OtelVariables.DiskRetryDirectory, retryError, "failed exports are retried in memory only and lost at stop");
        }

        DecisionSpill? spill = OpenSpill(settings, agent);
        LoggerProvider provider = sdk.LoggerProvider;
        var otlp = new OtlpDecisionSink(loggerFactory.CreateLogger(DecisionLog.Category), agent, provider.ForceFlush, spill, settings);
        return new TelemetryPipeline(new CompositeDecisionSink(console, otlp), loggerFactory, endpoint, sdk, otlp, spill, failures);
    }

    private static DecisionSpill? OpenSpill(TelemetrySettings settings, ILogger agent)
    {
        if (PrivateDirectory.TryCreate(settings.SpillDirectory) is { } error)
        {
            agent.StorageUnavailable(settings.SpillDirectory, error, "decisions that overflow the in-memory queue will be dropped (counted)");
            return null;
        }

        return DecisionSpill.Open(settings.SpillDirectory, settings.SpillLimitBytes);
    }

    /// <summary>Exports what is queued (within the stop timeout; the rest waits on disk for the next start) and shuts the SDK down.</summary>
    public void Dispose()
    {
        _otlp?.Dispose();
        _spill?.Dispose();
        _sdk?.Dispose();
        _failures?.Dispose();
        if (_sdk is null)
        {
            _loggerFactory.Dispose();
        }
    }
}
