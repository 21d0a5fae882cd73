using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using KmodGuard.Agent.Configuration;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Agent.Tests.Configuration;

public sealed class AgentConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private AgentConfig Load(string yaml) => AgentConfigLoader.LoadFile(_dir.Write("kmodguard.yaml", yaml));

    private static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "shipped", name);

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        AgentConfig d = AgentConfig.Default;
        Assert.Equal(AuditMode.Auto, d.Audit.Mode);
        Assert.Equal(8192u, d.Audit.BacklogLimit);
        Assert.Equal(32 * 1024 * 1024, d.Audit.ReceiveBufferBytes);
        Assert.Equal("/etc/kmodguard/policy.yaml", d.Policy.Path);
        Assert.True(d.Policy.Watch);
        Assert.Empty(d.TrustedCertificates);
        Assert.False(d.Enforcement.ModprobeDenylist);
        Assert.Equal(TimeSpan.FromMilliseconds(800), d.Enforcement.UnloadRetryBudget);
        Assert.Equal(DecisionRecordFormat.Json, d.Telemetry.ConsoleFormat);
        Assert.Null(d.Telemetry.OtlpEndpoint);
        Assert.Equal("grpc", d.Telemetry.OtlpProtocol);
        Assert.Empty(d.Telemetry.OtlpHeaders);
        Assert.Equal(TimeSpan.FromSeconds(10), d.Telemetry.OtlpTimeout);
        Assert.Equal("kmodguard", d.Telemetry.ServiceName);
        Assert.Empty(d.Telemetry.ResourceAttributes);
        Assert.Equal("/var/lib/kmodguard", d.StateDirectory);
        Assert.Equal("/run/kmodguard/status.sock", d.StatusSocket);
    }

    [Fact]
    public void The_shipped_configuration_spells_out_exactly_the_defaults()
    {
        // Copied to /etc/kmodguard (absolute paths only), so relative-path resolution plays no part.
        AgentConfig shipped = AgentConfigLoader.LoadFile(Shipped("kmodguard.yaml"));
        Assert.Equal(Describe(AgentConfig.Default), Describe(shipped));
    }

    [Fact]
    public void The_shipped_configuration_names_every_setting()
    {
        string text = File.ReadAllText(Shipped("kmodguard.yaml"));
        foreach (string key in AllKeys())
        {
            string leaf = key[(key.LastIndexOf('.') + 1)..];
            Assert.Matches(new Regex($"^\\s*{Regex.Escape(leaf)}:", RegexOptions.Multiline), text);
        }
    }

    [Fact]
    public void The_deployment_guide_documents_every_setting()
    {
        string guide = File.ReadAllText(Shipped("deployment.md"));
        foreach (string key in AllKeys())
        {
            Assert.Contains($"`{key}`", guide, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_file_means_the_defaults_and_an_empty_one_too()
    {
        Assert.Same(AgentConfig.Default, AgentConfigLoader.LoadFile(_dir.File("absent.yaml")));
        AgentConfig empty = Load("# only a comment\n");
        Assert.Equal(Describe(AgentConfig.Default), Describe(empty));
        Assert.Equal(_dir.File("kmodguard.yaml"), empty.Source);
        Assert.Equal(Describe(AgentConfig.Default), Describe(Load("audit:\ntelemetry: ~\n")));
    }

    [Fact]
    public void Every_setting_is_read()
    {
        AgentConfig c = Load("""
            audit:
              mode: multicast
              backlog_limit: 100
              receive_buffer_bytes: 0
            policy:
              path: policies/main.yaml
              watch: false
            trusted_certificates: [/etc/kmodguard/certs, extra.pem]
            enforcement:
              modprobe_denylist: true
              unload_retry_budget_ms: 50
            telemetry:
              console_format: text
              otlp_endpoint: http://collector:4318
              otlp_protocol: http/protobuf
              otlp_headers: { x-api-key: s3cret, tenant: 42 }
              otlp_timeout_ms: 2500
              service_name: kmodguard-prod
              resource_attributes: { deployment.environment.name: production }
            state_directory: /srv/kg/state
            status_socket: run/kg.sock
            """);
        Assert.Equal(AuditMode.Multicast, c.Audit.Mode);
        Assert.Equal(100u, c.Audit.BacklogLimit);
        Assert.Equal(0, c.Audit.ReceiveBufferBytes);
        Assert.Equal(_dir.File("policies/main.yaml"), c.Policy.Path);
        Assert.False(c.Policy.Watch);
        Assert.Equal(["/etc/kmodguard/certs", _dir.File("extra.pem")], c.TrustedCertificates);
        Assert.True(c.Enforcement.ModprobeDenylist);
        Assert.Equal(TimeSpan.FromMilliseconds(50), c.Enforcement.UnloadRetryBudget);
        Assert.Equal(DecisionRecordFormat.Text, c.Telemetry.ConsoleFormat);
        Assert.Equal(new Uri("http://collector:4318"), c.Telemetry.OtlpEndpoint);
        Assert.Equal("http/protobuf", c.Telemetry.OtlpProtocol);
        Assert.Equal("s3cret", c.Telemetry.OtlpHeaders["x-api-key"]);
        Assert.Equal("42", c.Telemetry.OtlpHeaders["tenant"]);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), c.Telemetry.OtlpTimeout);
        Assert.Equal("kmodguard-prod", c.Telemetry.ServiceName);
        Assert.Equal("production", c.Telemetry.ResourceAttributes["deployment.environment.name"]);
        Assert.Equal("/srv/kg/state", c.StateDirectory);
        Assert.Equal(_dir.File("run/kg.sock"), c.StatusSocket);

        var session = c.Audit.ToSessionOptions(c.StateDirectory);
        Assert.Equal(AuditMode.Multicast, session.Mode);
        Assert.Equal(100u, session.BacklogLimit);
        Assert.Equal("/srv/kg/state/audit-settings", session.StateFile);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        // name, document, "line:col: message fragment"
        { "not a mapping", "- audit\n", "1:1: expected a mapping of settings" },
        { "yaml syntax", "audit:\n  mode: \"auto\n", "YAML syntax error" },
        { "unknown key with a hint", "audt:\n  mode: auto\n", "1:1: unknown key 'audt' in the configuration (did you mean 'audit'?)" },
        { "unknown section key", "audit:\n  backlog: 5\n", "2:3: unknown key 'backlog' in 'audit'" },
        { "duplicate key", "state_directory: /a\nstate_directory: /b\n", "2:1: duplicate key 'state_directory'" },
        { "section not a mapping", "audit: unicast\n", "1:8: 'audit' must be a mapping" },
        { "bad audit mode", "audit:\n  mode: broadcast\n", "2:9: 'audit.mode' must be one of auto, unicast, multicast; got 'broadcast'" },
        { "backlog not a number", "audit:\n  backlog_limit: lots\n", "2:18: 'audit.backlog_limit' must be an integer; got 'lots'" },
        { "backlog zero", "audit:\n  backlog_limit: 0\n", "2:18: 'audit.backlog_limit' must be between 1 and" },
        { "negative buffer", "audit:\n  receive_buffer_bytes: -1\n", "2:25: 'audit.receive_buffer_bytes' must be between 0 and" },
        { "watch not a boolean", "policy:\n  watch: sometimes\n", "2:10: 'policy.watch' must be true or false" },
        { "empty policy path", "policy:\n  path: \"\"\n", "2:9: 'policy.path' must not be empty" },
        { "certificates not a list", "trusted_certificates: /etc/certs\n", "1:23: 'trusted_certificates' must be a list of paths" },
        { "certificate not a string", "trusted_certificates: [{a: 1}]\n", "1:24: 'trusted_certificates' must be a string" },
        { "retry budget too long", "enforcement:\n  unload_retry_budget_ms: 9999999\n", "2:27: 'enforcement.unload_retry_budget_ms' must be between 0 and 600000" },
        { "bad console format", "telemetry:\n  console_format: xml\n", "2:19: 'telemetry.console_format' must be one of json, text" },
        { "endpoint without scheme", "telemetry:\n  otlp_endpoint: collector:4317\n", "2:18: 'telemetry.otlp_endpoint' must be an http:// or https:// URL" },
        { "endpoint ftp", "telemetry:\n  otlp_endpoint: ftp://collector/\n", "2:18: 'telemetry.otlp_endpoint' must be an http:// or https:// URL" },
        { "bad protocol", "telemetry:\n  otlp_protocol: http/json\n", "2:18: 'telemetry.otlp_protocol' must be one of grpc, http/protobuf" },
        { "headers a list", "telemetry:\n  otlp_headers: [a]\n", "2:17: 'telemetry.otlp_headers' must be a mapping of names to strings" },
        { "header value a mapping", "telemetry:\n  otlp_headers: { k: { a: b } }\n", "2:22: 'telemetry.otlp_headers.k' must be a single-line string" },
        { "header name with comma", "telemetry:\n  otlp_headers: { \"a,b\": c }\n", "2:19: 'telemetry.otlp_headers' names must be non-empty" },
        { "timeout zero", "telemetry:\n  otlp_timeout_ms: 0\n", "2:20: 'telemetry.otlp_timeout_ms' must be between 1 and" },
        { "blank service name", "telemetry:\n  service_name: \"  \"\n", "2:17: 'telemetry.service_name' must not be empty" },
        { "socket path too long", $"status_socket: /run/{new string('s', 120)}.sock\n", "1:16: 'status_socket' must be at most 107 bytes" },
        { "alias", "state_directory: &d /a\nstatus_socket: *d\n", "2:16: YAML aliases are not supported" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_bad_configuration_is_refused_with_file_line_column(string name, string yaml, string expected)
    {
        _ = name;
        string path = _dir.Write("bad.yaml", yaml);
        AgentConfigException e = Assert.Throws<AgentConfigException>(() => AgentConfigLoader.LoadFile(path));
        Assert.Contains(e.Errors, error => error.ToString().StartsWith($"{path}:{expected}", StringComparison.Ordinal)
            || (expected.StartsWith("YAML", StringComparison.Ordinal) && error.Message.StartsWith(expected, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        AgentConfigException e = Assert.Throws<AgentConfigException>(() => Load("audit:\n  mode: x\ntelemetry:\n  otlp_protocol: y\nbogus: 1\n"));
        Assert.Equal(["2:9", "4:18", "5:1"], e.Errors.Select(x => $"{x.Line}:{x.Column}"));
    }

    [Fact]
    public void Unreadable_files_are_located_errors_too()
    {
        Assert.StartsWith($"{_dir.Path}:1:1: is a directory", Assert.Throws<AgentConfigException>(() => AgentConfigLoader.LoadFile(_dir.Path)).Message, StringComparison.Ordinal);

        string binary = _dir.File("binary.yaml");
        File.WriteAllBytes(binary, [0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
        Assert.EndsWith("1:1: the configuration is not valid UTF-8", Assert.Throws<AgentConfigException>(() => AgentConfigLoader.LoadFile(binary)).Message, StringComparison.Ordinal);

        string huge = _dir.File("huge.yaml");
        File.WriteAllText(huge, "# " + new string('x', (int)AgentConfigLoader.MaxBytes));
        Assert.Contains("a configuration is limited to", Assert.Throws<AgentConfigException>(() => AgentConfigLoader.LoadFile(huge)).Message, StringComparison.Ordinal);

        string deep = _dir.Write("deep.yaml", "audit: " + new string('[', 200) + new string(']', 200) + "\n");
        Assert.Contains("nesting deeper than", Assert.Throws<AgentConfigException>(() => AgentConfigLoader.LoadFile(deep)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_bytes_give_a_configuration_or_located_errors_never_a_crash()
    {
        // Fragments of real settings glued at random, plus arbitrary bytes: the loader either accepts or explains.
        string[] pieces = ["audit:", "\n  mode: ", "unicast", "policy:", "\n  path: ", "telemetry:", "\n  otlp_headers: {", "}", "[", "]",
            "'", "\"", ": ", "\n", "  ", "- ", "&a ", "*a", "~", "null", "0x10", "-1", "999999999999", "\t", "\u2028", "#", "%YAML 1.2\n---\n"];
        Gen.OneOf(
                Gen.Int[0, pieces.Length - 1].Array[0, 40].Select(ix => Encoding.UTF8.GetBytes(string.Concat(ix.Select(i => pieces[i])))),
                Gen.Byte.Array[0, 200])
            .Sample(bytes =>
            {
                try
                {
                    AgentConfigLoader.Load(bytes, "fuzz.yaml");
                }
                catch (AgentConfigException e)
                {
                    Assert.NotEmpty(e.Errors);
                    Assert.All(e.Errors, x => Assert.True(x.Line >= 1 && x.Column >= 1, x.ToString()));
                }
            }, iter: 2000);
    }

    private static IEnumerable<string> AllKeys() =>
        AgentConfigParser.TopLevelKeys.Except(["audit", "policy", "enforcement", "telemetry"])
            .Concat(AgentConfigParser.AuditKeys.Select(k => "audit." + k))
            .Concat(AgentConfigParser.PolicyKeys.Select(k => "policy." + k))
            .Concat(AgentConfigParser.EnforcementKeys.Select(k => "enforcement." + k))
            .Concat(AgentConfigParser.TelemetryKeys.Select(k => "telemetry." + k));

    /// <summary>A comparable rendering (records compare collections by reference); the source is not a setting.</summary>
    private static string Describe(AgentConfig c) => string.Join("\n",
        c.Audit.ToString(), c.Policy.ToString(), string.Join(",", c.TrustedCertificates), c.Enforcement.ToString(),
        c.Telemetry with { OtlpHeaders = null!, ResourceAttributes = null! },
        string.Join(",", c.Telemetry.OtlpHeaders), string.Join(",", c.Telemetry.ResourceAttributes), c.StateDirectory, c.StatusSocket);
}
