using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// Turns the OTLP exporter's own diagnostics (wrong endpoint, refused connection, TLS failure, 4xx, disk-retry
/// storage full) into the export-failure metric and one agent warning per <see cref="TelemetrySettings.FailureReportInterval"/>,
/// which says how many similar failures it stands for. The exporter reports only through these event sources.
/// In a NativeAOT build this needs &lt;EventSourceSupport&gt;true&lt;/EventSourceSupport&gt;.
/// </summary>
internal sealed class ExportFailureReporter : EventListener
{
    private static readonly string[] Sources =
    [
        "OpenTelemetry-Exporter-OpenTelemetryProtocol",
        "OpenTelemetry-PersistentStorage-FileSystem-Otlp",
        "OpenTelemetry-PersistentStorage-Abstractions-Otlp",
    ];

    private static readonly string[] StackMarkers = [" ---> ", "   at ", "\n", "\r"];

    private readonly Lock _gate = new();
    private ILogger? _agent;
    private string _endpoint = "";
    private TimeSpan _interval;
    private long _lastReport;
    private long _suppressed;
    private long _failures;

    /// <summary>Export failures seen since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// EventListener's base constructor already calls <see cref="OnEventSourceCreated"/> for existing sources, before
    /// our fields are set; so configuration comes after construction, and events before it are ignored.
    /// </summary>
    public void Start(ILogger agent, string endpoint, TimeSpan interval)
    {
        lock (_gate)
        {
            _agent = agent;
            _endpoint = endpoint;
            _interval = interval;
            _lastReport = Stopwatch.GetTimestamp() - (long)(interval.TotalSeconds * Stopwatch.Frequency) - 1;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (Sources.Contains(eventSource.Name, StringComparer.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Level is not (EventLevel.Warning or EventLevel.Error or EventLevel.Critical))
        {
            return;
        }

        ILogger? agent;
        long suppressed;
        lock (_gate)
        {
            agent = _agent;
            if (agent is null)
            {
                return;
            }

            KmodGuardMetrics.ExportFailures.Add(1);
            Interlocked.Increment(ref _failures);
            long now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(_lastReport, now) < _interval)
            {
                _suppressed++;
                return;
            }

            _lastReport = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }

        agent.ExportFailed(_endpoint, Describe(eventData), suppressed);
    }

    /// <summary>The exporter's message with the exception's first line only: one readable log line, no stack trace.</summary>
    internal static string Describe(EventWrittenEventArgs e)
    {
        object?[] payload = e.Payload is null ? [] : [.. e.Payload];
        string text;
        try
        {
            text = e.Message is null ? $"{e.EventName}: {string.Join("; ", payload)}" : string.Format(CultureInfo.InvariantCulture, e.Message, payload);
        }
        catch (FormatException)
        {
            text = $"{e.EventName}: {string.Join("; ", payload)}";
        }

        int cut = text.Length;
        foreach (string marker in StackMarkers)
        {
            int i = text.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0 && i < cut)
            {
                cut = i;
            }
        }

        return text[..cut].TrimEnd();
    }
}
