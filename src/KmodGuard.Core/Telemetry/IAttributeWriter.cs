namespace KmodGuard.Core.Telemetry;

/// <summary>Receives a record's attributes with their types; implemented once per encoding (JSON, OTLP).</summary>
public interface IAttributeWriter
{
    void Write(string key, string value);
    void Write(string key, long value);
    void Write(string key, bool value);
    void Write(string key, IReadOnlyList<string> values);
}
