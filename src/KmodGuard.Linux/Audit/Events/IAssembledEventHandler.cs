namespace KmodGuard.Linux.Audit.Events;

/// <summary>Receives what the <see cref="AuditEventAssembler"/> produces.</summary>
internal interface IAssembledEventHandler
{
    /// <summary>A complete event; valid only during the call.</summary>
    void OnEvent(AuditEvent auditEvent);

    /// <summary>Serials <paramref name="first"/>..<paramref name="last"/> never arrived (a gap in the kernel's numbering).</summary>
    void OnSerialsLost(uint first, uint last, long count);
}
