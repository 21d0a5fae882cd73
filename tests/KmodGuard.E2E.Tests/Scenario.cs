using System.Text.Json;

namespace KmodGuard.E2E.Tests;

/// <summary>One scenario's observations, /proc/modules snapshots, kernel log lines and agent decision records.</summary>
public sealed class Scenario(string name)
{
    private readonly Dictionary<string, List<string>> _observations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _modules = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public bool Ended { get; set; }

    public List<string> KernelLog { get; } = [];

    public List<JsonElement> Records { get; } = [];

    /// <summary>Record lines that were not JSON objects: a broken record is a finding of its own.</summary>
    public List<string> MalformedRecords { get; } = [];

    public void Observe(string key, string value)
    {
        if (!_observations.TryGetValue(key, out List<string>? values))
        {
            _observations[key] = values = [];
        }

        values.Add(value);
    }

    public string? Value(string key) => _observations.TryGetValue(key, out List<string>? v) ? v[^1] : null;

    /// <summary>Every value observed under <paramref name="key"/>, in order.</summary>
    public IReadOnlyList<string> Values(string key) => _observations.TryGetValue(key, out List<string>? v) ? v : [];

    public void AddModuleLine(string label, string line)
    {
        if (!_modules.TryGetValue(label, out List<string>? lines))
        {
            _modules[label] = lines = [];
        }

        if (line != "-")
        {
            lines.Add(line);
        }
    }

    /// <summary>The module names in the /proc/modules snapshot taken at <paramref name="label"/>.</summary>
    public IReadOnlyList<string> LoadedAt(string label) =>
        _modules.TryGetValue(label, out List<string>? lines) ? lines.Select(l => l.Split(' ')[0]).ToArray()
        : throw new KeyNotFoundException($"scenario {Name} took no /proc/modules snapshot '{label}'");

    public void AddRecord(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                Records.Add(doc.RootElement.Clone());
                return;
            }
        }
        catch (JsonException)
        {
        }

        MalformedRecords.Add(json);
    }
}
