namespace KmodGuard.Linux.Audit.Session;

/// <summary>The agent cannot use the kernel's audit subsystem here. The message names the cause and the fix.</summary>
internal sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public AuditUnavailableException()
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }
}
