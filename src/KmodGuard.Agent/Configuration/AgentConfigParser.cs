using System.Diagnostics;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Yaml;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Agent.Configuration;

/// <summary>
/// Validates kmodguard.yaml against the settings it may hold and builds an <see cref="AgentConfig"/>; unset settings
/// keep their defaults. Reports every problem with its line and column, like the policy parser it shares a base with.
/// Relative paths are taken relative to the file's directory.
/// </summary>
internal sealed class AgentConfigParser : YamlDocumentParser
{
    internal static readonly string[] TopLevelKeys = ["audit", "policy", "trusted_certificates", "enforcement", "telemetry", "state_directory", "status_socket"];
    internal static readonly string[] AuditKeys = ["mode", "backlog_limit", "receive_buffer_bytes"];
    internal static readonly string[] PolicyKeys = ["path", "watch"];
    internal static readonly string[] EnforcementKeys = ["modprobe_denylist", "unload_retry_budget_ms"];
    internal static readonly string[] TelemetryKeys =
        ["console_format", "otlp_endpoint", "otlp_protocol", "otlp_headers", "otlp_timeout_ms", "service_name", "resource_attributes"];

    private static readonly string[] AuditModes = ["auto", "unicast", "multicast"];
    private static readonly string[] ConsoleFormats = ["json", "text"];
    private static readonly string[] OtlpProtocols = ["grpc", "http/protobuf"];

    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>Longer than any sane timeout or retry budget; refusing it catches seconds written as milliseconds' opposite.</summary>
    private const int MaxMilliseconds = 10 * 60 * 1000;

    private readonly string _source;
    private readonly string _directory;

    private AgentConfigParser(string source, List<PolicyError> errors)
        : base(source, errors)
    {
        _source = source;
        _directory = Path.GetDirectoryName(Path.GetFullPath(source)) ?? "/";
    }

    internal static AgentConfig? Parse(string text, string source, List<PolicyError> errors)
    {
        YamlNode? root = YamlTreeReader.Read(text, source, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        // An empty file, or one of comments only, keeps every default.
        AgentConfig? config = root is null
            ? AgentConfig.Default with { Source = source }
            : new AgentConfigParser(source, errors).ParseDocument(root);
        return errors.Count > 0 ? null : config;
    }

    private AgentConfig? ParseDocument(YamlNode root)
    {
        if (root is not YamlMapping map)
        {
            Error(root, $"expected a mapping of settings: {string.Join(", ", TopLevelKeys)}");
            return null;
        }

        AgentConfig config = AgentConfig.Default with { Source = _source };
        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            config = key.Value switch
            {
                "audit" => config with { Audit = Section(value, "audit", AuditKeys, config.Audit, ParseAudit) },
                "policy" => config with { Policy = Section(value, "policy", PolicyKeys, config.Policy, ParsePolicy) },
                "trusted_certificates" => config with { TrustedCertificates = ExpectPathList(value, "trusted_certificates") ?? config.TrustedCertificates },
                "enforcement" => config with { Enforcement = Section(value, "enforcement", EnforcementKeys, config.Enforcement, ParseEnforcement) },
                "telemetry" => config with { Telemetry = Section(value, "telemetry", TelemetryKeys, config.Telemetry, ParseTelemetry) },
                "state_directory" => config with { StateDirectory = ExpectPath(value, "state_directory") ?? config.StateDirectory },
                "status_socket" => config with { StatusSocket = ExpectSocketPath(value) ?? config.StatusSocket },
                _ => Unknown(key, "the configuration", TopLevelKeys, config),
            };
        }

        return config;
    }

    private AuditConfig ParseAudit(AuditConfig audit, string key, YamlNode value) => key switch
    {
        "mode" => audit with
        {
            Mode = ExpectWord(value, "audit.mode", AuditModes) switch
            {
                "unicast" => AuditMode.Unicast,
                "multicast" => AuditMode.Multicast,
                "auto" => AuditMode.Auto,
                _ => audit.Mode,
            },
        },
        "backlog_limit" => audit with { BacklogLimit = (uint)(ExpectRange(value, "audit.backlog_limit", 1, int.MaxValue) ?? (int)audit.BacklogLimit) },
        "receive_buffer_bytes" => audit with { ReceiveBufferBytes = ExpectRange(value, "audit.receive_buffer_bytes", 0, int.MaxValue) ?? audit.ReceiveBufferBytes },
        _ => throw new UnreachableException(key),
    };

    private PolicyConfig ParsePolicy(PolicyConfig policy, string key, YamlNode value) => key switch
    {
        "path" => policy with { Path = ExpectPath(value, "policy.path") ?? policy.Path },
        "watch" => policy with { Watch = ExpectBoolean(value, "policy.watch") ?? policy.Watch },
        _ => throw new UnreachableException(key),
    };

    private EnforcementConfig ParseEnforcement(EnforcementConfig enforcement, string key, YamlNode value) => key switch
    {
        "modprobe_denylist" => enforcement with { ModprobeDenylist = ExpectBoolean(value, "enforcement.modprobe_denylist") ?? enforcement.ModprobeDenylist },
        "unload_retry_budget_ms" => enforcement with { UnloadRetryBudget = ExpectMilliseconds(value, "enforcement.unload_retry_budget_ms", 0) ?? enforcement.UnloadRetryBudget },
        _ => throw new UnreachableException(key),
    };

    private TelemetryConfig ParseTelemetry(TelemetryConfig telemetry, string key, YamlNode value) => key switch
    {
        "console_format" => telemetry with
        {
            ConsoleFormat = ExpectWord(value, "telemetry.console_format", ConsoleFormats) switch
            {
                "text" => DecisionRecordFormat.Text,
                "json" => DecisionRecordFormat.Json,
                _ => telemetry.ConsoleFormat,
            },
        },
        "otlp_endpoint" => telemetry with { OtlpEndpoint = ExpectEndpoint(value) },
        "otlp_protocol" => telemetry with { OtlpProtocol = ExpectWord(value, "telemetry.otlp_protocol", OtlpProtocols) ?? telemetry.OtlpProtocol },
        "otlp_headers" => telemetry with { OtlpHeaders = ExpectStringMap(value, "telemetry.otlp_headers") ?? telemetry.OtlpHeaders },
        "otlp_timeout_ms" => telemetry with { OtlpTimeout = ExpectMilliseconds(value, "telemetry.otlp_timeout_ms", 1) ?? telemetry.OtlpTimeout },
        "service_name" => telemetry with { ServiceName = ExpectNonEmpty(value, "telemetry.service_name") ?? telemetry.ServiceName },
        "resource_attributes" => telemetry with { ResourceAttributes = ExpectStringMap(value, "telemetry.resource_attributes") ?? telemetry.ResourceAttributes },
        _ => throw new UnreachableException(key),
    };

    /// <summary>A section is a mapping of known keys (the only ones passed to <paramref name="apply"/>); an empty one (<c>audit:</c>) keeps the defaults.</summary>
    private T Section<T>(YamlNode node, string name, string[] keys, T current, Func<T, string, YamlNode, T> apply)
    {
        if (node is YamlScalar { Plain: true } s && IsNull(s.Value))
        {
            return current;
        }

        if (node is not YamlMapping map)
        {
            Error(node, $"'{name}' must be a mapping with any of: {string.Join(", ", keys)}");
            return current;
        }

        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            current = Array.IndexOf(keys, key.Value) < 0 ? Unknown(key, $"'{name}'", keys, current) : apply(current, key.Value, value);
        }

        return current;
    }

    private T Unknown<T>(YamlScalar key, string where, string[] keys, T unchanged)
    {
        UnknownKey(key, where, keys);
        return unchanged;
    }

    private int? ExpectRange(YamlNode node, string what, int min, int max)
    {
        int? n = ExpectInteger(node, what);
        if (n is not null && (n < min || n > max))
        {
            Error(node, $"'{what}' must be between {min} and {max}; got {n}");
            return null;
        }

        return n;
    }

    private TimeSpan? ExpectMilliseconds(YamlNode node, string what, int min) =>
        ExpectRange(node, what, min, MaxMilliseconds) is int ms ? TimeSpan.FromMilliseconds(ms) : null;

    private string? ExpectNonEmpty(YamlNode node, string what)
    {
        string? text = ExpectString(node, what);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            Error(node, $"'{what}' must not be empty");
            return null;
        }

        return text;
    }

    /// <summary>A file system path; relative paths are relative to the configuration file's directory.</summary>
    private string? ExpectPath(YamlNode node, string what)
    {
        string? text = ExpectNonEmpty(node, what);
        if (text is null)
        {
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            Error(node, $"'{what}' must not contain a NUL character");
            return null;
        }

        return Path.GetFullPath(text, _directory);
    }

    private string? ExpectSocketPath(YamlNode node)
    {
        string? path = ExpectPath(node, "status_socket");
        if (path is not null && System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes)
        {
            Error(node, $"'status_socket' must be at most {MaxSocketPathBytes} bytes long (a Unix socket path limit); '{Shorten(path)}' is longer");
            return null;
        }

        return path;
    }

    private List<string>? ExpectPathList(YamlNode node, string what)
    {
        if (node is YamlScalar { Plain: true } s && IsNull(s.Value))
        {
            return [];
        }

        if (node is not YamlSequence seq)
        {
            Error(node, $"'{what}' must be a list of paths");
            return null;
        }

        var paths = new List<string>(seq.Items.Count);
        foreach (YamlNode item in seq.Items)
        {
            if (ExpectPath(item, what) is string path)
            {
                paths.Add(path);
            }
        }

        return paths.Count == seq.Items.Count ? paths : null;
    }

    private Dictionary<string, string>? ExpectStringMap(YamlNode node, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlScalar { Plain: true } s && IsNull(s.Value))
        {
            return result;
        }

        if (node is not YamlMapping map)
        {
            Error(node, $"'{what}' must be a mapping of names to strings");
            return null;
        }

        bool ok = true;
        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            if (string.IsNullOrWhiteSpace(key.Value) || key.Value.Any(c => char.IsControl(c) || c is ',' or '='))
            {
                Error(key, $"'{what}' names must be non-empty and free of control characters, ',' and '='");
                ok = false;
                continue;
            }

            // Numbers and booleans are fine as values: they are sent as the text written.
            if (value is YamlScalar scalar && !(scalar.Plain && IsNull(scalar.Value)) && !scalar.Value.Any(char.IsControl))
            {
                result[key.Value] = scalar.Value;
            }
            else
            {
                Error(value, $"'{what}.{Shorten(key.Value)}' must be a single-line string");
                ok = false;
            }
        }

        return ok ? result : null;
    }

    /// <summary>An absolute http(s) URI, or empty/null for "no collector".</summary>
    private Uri? ExpectEndpoint(YamlNode node)
    {
        if (node is YamlScalar s && (s.Value.Length == 0 || (s.Plain && IsNull(s.Value))))
        {
            return null;
        }

        string? text = ExpectString(node, "telemetry.otlp_endpoint");
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            Error(node, $"'telemetry.otlp_endpoint' must be an http:// or https:// URL, e.g. http://collector:4317; got '{Shorten(text)}'");
            return null;
        }

        return uri;
    }
}
