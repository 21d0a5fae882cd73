namespace KmodGuard.MacOS.Configuration;

/// <summary>
/// Finds the extension's settings: the MDM-managed preference domain first, then the local file, then defaults
/// (the embedded default policy, fail open).
/// </summary>
public static class ExtensionSettingsLoader
{
    /// <summary>The local fallback, an XML plist with the same keys as the settings payload.</summary>
    public const string LocalFile = "/Library/Application Support/KmodGuard/settings.plist";

    // Asked for by name: CFPreferences lists a domain's keys without the values MDM forces. Other OTEL_* keys are
    // still found when they are in the domain's key list.
    private static readonly string[] KnownKeys =
    [
        ExtensionSettings.Keys.Policy, ExtensionSettings.Keys.PolicyPath, ExtensionSettings.Keys.FailClosed,
        ExtensionSettings.Keys.MinimumHeadroomMilliseconds,
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_CERTIFICATE",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "OTEL_EXPORTER_OTLP_LOGS_HEADERS",
        "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SDK_DISABLED",
    ];

    /// <param name="domain">The preference domain the settings payload installs (the extension's bundle id).</param>
    /// <param name="localFile">The fallback file; <see cref="LocalFile"/> unless a test or --settings says otherwise.</param>
    public static ExtensionSettings Load(string domain, string localFile = LocalFile)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(localFile);
        if (OperatingSystem.IsMacOS())
        {
            Dictionary<string, object> managed = ManagedPreferences.Read(domain, KnownKeys);
            if (managed.Count > 0)
            {
                return ExtensionSettings.FromDictionary(managed, $"managed preferences ({domain})");
            }
        }

        return File.Exists(localFile) ? FromFile(localFile) : ExtensionSettings.Defaults("built-in defaults");
    }

    /// <exception cref="FormatException">The file is not a plist dictionary or a key has the wrong type.</exception>
    public static ExtensionSettings FromFile(string path) =>
        XmlPlist.ParseFile(path) is Dictionary<string, object> dict
            ? ExtensionSettings.FromDictionary(dict, path)
            : throw new FormatException($"{path}: the top-level value must be a <dict>");
}
