using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Agent.Configuration;

/// <summary>The <c>audit:</c> section: how the agent uses the kernel's audit subsystem.</summary>
internal sealed record AuditConfig
{
    /// <summary>auto: unicast when nobody owns it and the configuration is not locked, multicast beside auditd otherwise.</summary>
    public AuditMode Mode { get; init; } = AuditMode.Auto;

    /// <summary>backlog_limit set while we own unicast (the kernel's default of 64 loses records under load).</summary>
    public uint BacklogLimit { get; init; } = 8192;

    /// <summary>SO_RCVBUF(FORCE) for the data socket; without CAP_NET_ADMIN the kernel caps it at net.core.rmem_max.</summary>
    public int ReceiveBufferBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>The audit session's options; the rules and the journal path are the agent's to add.</summary>
    public AuditSessionOptions ToSessionOptions(string stateDirectory) => new()
    {
        Mode = Mode,
        BacklogLimit = BacklogLimit,
        ReceiveBufferBytes = ReceiveBufferBytes,
        StateFile = Path.Combine(stateDirectory, "audit-settings"),
    };
}
