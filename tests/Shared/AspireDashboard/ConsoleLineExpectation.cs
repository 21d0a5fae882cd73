using System.Text.Json;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// What a decision record should look like in the dashboard, given the console JSON line the producer printed for
/// it: the same event name, severity text and body, and every attribute with the same value (as a string, which is
/// how the dashboard's API returns values; check types on the wire instead).
/// </summary>
internal static class ConsoleLineExpectation
{
    private static readonly string[] Envelope = ["timestamp", "observed_timestamp", "severity_text", "event_name", "body"];

    /// <summary>The line's attributes as the dashboard API shows them.</summary>
    public static Dictionary<string, string> Attributes(string consoleJsonLine)
    {
        using JsonDocument doc = JsonDocument.Parse(consoleJsonLine);
        return doc.RootElement.EnumerateObject().Where(p => !Envelope.Contains(p.Name)).ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    /// <summary>Null when <paramref name="record"/> carries exactly what the line says; otherwise the first difference.</summary>
    public static string? Difference(string consoleJsonLine, DashboardLogRecord record)
    {
        using JsonDocument doc = JsonDocument.Parse(consoleJsonLine);
        JsonElement line = doc.RootElement;
        foreach ((string key, string? actual) in new[] { ("event_name", record.EventName), ("severity_text", record.SeverityText), ("body", record.Body) })
        {
            if (line.GetProperty(key).GetString() != actual)
            {
                return $"{key}: expected '{line.GetProperty(key).GetString()}', got '{actual}'";
            }
        }

        Dictionary<string, string> expected = Attributes(consoleJsonLine);
        foreach ((string key, string value) in expected)
        {
            if (!record.Attributes.TryGetValue(key, out string? actual))
            {
                return $"{key}: missing";
            }

            if (actual != value && !SameArray(value, actual))
            {
                return $"{key}: expected '{value}', got '{actual}'";
            }
        }

        // The dashboard adds only its own aspire.log_id.
        string[] extra = [.. record.Attributes.Keys.Where(k => !expected.ContainsKey(k) && k != "aspire.log_id")];
        return extra.Length == 0 ? null : $"unexpected attributes: {string.Join(", ", extra)}";
    }

    /// <summary>
    /// Null when each console line arrived as exactly one record (matched by activity id and by being an update or
    /// not) carrying exactly what the line says; otherwise the first problem.
    /// </summary>
    public static string? Arrived(IEnumerable<string> consoleJsonLines, IReadOnlyList<DashboardLogRecord> received)
    {
        foreach (string line in consoleJsonLines)
        {
            Dictionary<string, string> attributes = Attributes(line);
            string? id = attributes.GetValueOrDefault("kmodguard.activity.id");
            bool update = attributes.ContainsKey("kmodguard.update");
            DashboardLogRecord[] matches = [.. received.Where(r => r.Attributes.GetValueOrDefault("kmodguard.activity.id") == id && r.Attributes.ContainsKey("kmodguard.update") == update)];
            if (matches.Length != 1)
            {
                return $"activity {id ?? "(no id)"}{(update ? " (update)" : "")}: {matches.Length} records arrived, expected 1";
            }

            if (Difference(line, matches[0]) is { } difference)
            {
                return $"activity {id}: {difference}";
            }
        }

        return null;
    }

    /// <summary>Arrays come back as JSON text escaped by the dashboard's own serializer: compare their elements.</summary>
    private static bool SameArray(string expected, string actual)
    {
        if (!expected.StartsWith('[') || !actual.StartsWith('['))
        {
            return false;
        }

        try
        {
            using JsonDocument e = JsonDocument.Parse(expected);
            using JsonDocument a = JsonDocument.Parse(actual);
            return e.RootElement.EnumerateArray().Select(x => x.ToString()).SequenceEqual(a.RootElement.EnumerateArray().Select(x => x.ToString()));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
