namespace KmodGuard.Agent.Configuration;

/// <summary>
/// The agent's settings from /etc/kmodguard/kmodguard.yaml. Every setting has a default (<see cref="Default"/>), so an
/// absent or empty file is a valid configuration. packaging/linux/kmodguard.yaml spells the defaults out.
/// </summary>
internal sealed record AgentConfig
{
    public const string DefaultPath = "/etc/kmodguard/kmodguard.yaml";

    public static AgentConfig Default { get; } = new();

    /// <summary>The file these settings came from, or null for the built-in defaults.</summary>
    public string? Source { get; init; }

    public AuditConfig Audit { get; init; } = new();

    public PolicyConfig Policy { get; init; } = new();

    /// <summary>Certificates (PEM or DER files, or directories of them) trusted for module signatures besides the kernel's keyring.</summary>
    public IReadOnlyList<string> TrustedCertificates { get; init; } = [];

    public EnforcementConfig Enforcement { get; init; } = new();

    public TelemetryConfig Telemetry { get; init; } = new();

    /// <summary>The agent's own state (audit settings to restore, telemetry spill and retry). systemd's StateDirectory.</summary>
    public string StateDirectory { get; init; } = "/var/lib/kmodguard";

    /// <summary>The root-only socket <c>kmodguard status</c> reads; its directory is created 0700.</summary>
    public string StatusSocket { get; init; } = "/run/kmodguard/status.sock";
}
