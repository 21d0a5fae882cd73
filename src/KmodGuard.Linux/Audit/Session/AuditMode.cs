namespace KmodGuard.Linux.Audit.Session;

/// <summary>How the agent reads audit records.</summary>
internal enum AuditMode
{
    /// <summary>Unicast when nobody owns it and the configuration is not locked, multicast otherwise.</summary>
    Auto,

    /// <summary>Register as the audit daemon: the kernel sends every record to us and queues when we are slow.</summary>
    Unicast,

    /// <summary>Join the read-only multicast group beside whoever owns unicast (auditd, journald, ...).</summary>
    Multicast,
}
