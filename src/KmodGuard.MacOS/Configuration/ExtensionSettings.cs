using System.Globalization;

namespace KmodGuard.MacOS.Configuration;

/// <summary>
/// The extension's configuration, as the MDM settings payload (a preference domain named after the extension's
/// bundle id) or the local fallback file gives it. Keys are listed in <see cref="Keys"/>; docs/macos.md has the table.
/// </summary>
public sealed record ExtensionSettings
{
    public static class Keys
    {
        /// <summary>The policy document itself (YAML), as a string.</summary>
        public const string Policy = "Policy";

        /// <summary>Path of a policy file on the Mac; used when <see cref="Policy"/> is not set.</summary>
        public const string PolicyPath = "PolicyPath";

        /// <summary>Answer DENY (true) or ALLOW (false) when a decision misses its deadline budget.</summary>
        public const string FailClosed = "FailClosed";

        /// <summary>Answer at least this many milliseconds before ES's deadline.</summary>
        public const string MinimumHeadroomMilliseconds = "MinimumHeadroomMilliseconds";

        /// <summary>Every key with this prefix is passed to the OpenTelemetry exporter as an environment variable.</summary>
        public const string OtelPrefix = "OTEL_";
    }

    /// <summary>Where the settings came from (the preference domain or file), for the start-up log.</summary>
    public required string Source { get; init; }

    public string? Policy { get; init; }
    public string? PolicyPath { get; init; }
    public bool FailClosed { get; init; }
    public TimeSpan? MinimumHeadroom { get; init; }

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT and friends, exported to the process environment before telemetry starts.</summary>
    public IReadOnlyDictionary<string, string> Otel { get; init; } = new Dictionary<string, string>();

    public static ExtensionSettings Defaults(string source) => new() { Source = source };

    /// <summary>Reads the known keys from a plist dictionary; unknown keys are ignored (profiles carry Payload* keys).</summary>
    /// <exception cref="FormatException">A known key has the wrong type; the message names it.</exception>
    public static ExtensionSettings FromDictionary(IReadOnlyDictionary<string, object> values, string source)
    {
        ArgumentNullException.ThrowIfNull(values);
        var otel = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, object value) in values)
        {
            if (key.StartsWith(Keys.OtelPrefix, StringComparison.Ordinal))
            {
                otel[key] = value switch
                {
                    string s => s,
                    long or double or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant(),
                    _ => throw Wrong(source, key, "a string"),
                };
            }
        }

        long? headroom = Get<long>(values, Keys.MinimumHeadroomMilliseconds, source, "an integer");
        if (headroom is < 1 or > 60_000)
        {
            throw new FormatException($"{source}: {Keys.MinimumHeadroomMilliseconds} must be between 1 and 60000, got {headroom}");
        }

        return new ExtensionSettings
        {
            Source = source,
            Policy = GetString(values, Keys.Policy, source),
            PolicyPath = GetString(values, Keys.PolicyPath, source),
            FailClosed = Get<bool>(values, Keys.FailClosed, source, "a boolean (<true/> or <false/>)") ?? false,
            MinimumHeadroom = headroom is long ms ? TimeSpan.FromMilliseconds(ms) : null,
            Otel = otel,
        };
    }

    private static string? GetString(IReadOnlyDictionary<string, object> values, string key, string source) =>
        values.TryGetValue(key, out object? v) ? v as string ?? throw Wrong(source, key, "a string") : null;

    private static T? Get<T>(IReadOnlyDictionary<string, object> values, string key, string source, string expected)
        where T : struct =>
        values.TryGetValue(key, out object? v) ? v is T t ? t : throw Wrong(source, key, expected) : null;

    private static FormatException Wrong(string source, string key, string expected) =>
        new($"{source}: {key} must be {expected}");
}
