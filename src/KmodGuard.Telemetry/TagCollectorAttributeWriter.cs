using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// Writes decision attributes as log-record tags, keeping their types: the OTLP exporter turns long into int_value,
/// bool into bool_value and string[] into an array_value (any other list would become a string).
/// </summary>
internal readonly struct TagCollectorAttributeWriter(ITagCollector tags) : IAttributeWriter
{
    public void Write(string key, string value) => tags.Add(key, value);

    public void Write(string key, long value) => tags.Add(key, value);

    public void Write(string key, bool value) => tags.Add(key, value);

    public void Write(string key, IReadOnlyList<string> values) => tags.Add(key, values as string[] ?? [.. values]);
}
