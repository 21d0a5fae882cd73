using System.Text.Json;

namespace KmodGuard.Core.Telemetry;

/// <summary>Writes attributes as properties of the current JSON object, keeping their types.</summary>
public readonly struct JsonAttributeWriter(Utf8JsonWriter json) : IAttributeWriter
{
    public void Write(string key, string value) => json.WriteString(key, value);

    public void Write(string key, long value) => json.WriteNumber(key, value);

    public void Write(string key, bool value) => json.WriteBoolean(key, value);

    public void Write(string key, IReadOnlyList<string> values)
    {
        json.WriteStartArray(key);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}
