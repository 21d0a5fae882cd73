namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>A netlink call or an audit request failed with an errno.</summary>
internal sealed class AuditNetlinkException : Exception
{
    public AuditNetlinkException(string operation, int errno)
        : base($"{operation}: {KmodGuard.Linux.Errno.Describe(errno)}")
    {
        Operation = operation;
        Errno = errno;
    }

    public string Operation { get; }

    public int Errno { get; }
}
