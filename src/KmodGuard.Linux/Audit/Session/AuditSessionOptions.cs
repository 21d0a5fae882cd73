using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>What the agent asks of the kernel's audit subsystem.</summary>
internal sealed record AuditSessionOptions
{
    public AuditMode Mode { get; init; } = AuditMode.Auto;

    /// <summary>backlog_limit to set when we own unicast (the kernel default of 64 loses records under load).</summary>
    public uint BacklogLimit { get; init; } = 8192;

    /// <summary>The rule key that marks our rules: we only ever delete rules carrying it.</summary>
    public string RuleKey { get; init; } = KmodGuardRuleSet.Key;

    /// <summary>Our rules as kernel audit_rule_data payloads.</summary>
    public IReadOnlyList<byte[]> Rules { get; init; } = [];

    /// <summary>Receive buffer for the data socket; a burst of 50,000 syscalls/s fills a default-sized one quickly.</summary>
    public int ReceiveBufferBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Where the kernel settings we changed are remembered, so a restart after a crash can put them back.</summary>
    public string? StateFile { get; init; }
}
