using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>Turns the ways audit set-up fails into one message with the cause and the fix.</summary>
internal static class AuditStartupErrors
{
    public static AuditUnavailableException Explain(AuditNetlinkException e, bool multicast) => e.Errno switch
    {
        Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT or Errno.EINVAL when e.Operation.StartsWith("socket", StringComparison.Ordinal) =>
            new("this kernel has no audit support (it refused a NETLINK_AUDIT socket). Use a kernel built with CONFIG_AUDIT=y and CONFIG_AUDITSYSCALL=y (Debian and Ubuntu kernels are), and make sure it was not booted with audit=0.", e),
        Errno.ECONNREFUSED =>
            new("the kernel refuses audit control from this user namespace: kmodguard is running inside a container. Run it on the host, or give the container the host's user and PID namespaces with CAP_AUDIT_CONTROL and CAP_AUDIT_READ (docker: --userns=host --pid=host --cap-add AUDIT_CONTROL --cap-add AUDIT_READ).", e),
        Errno.EPERM when multicast =>
            new("not permitted to read the audit multicast group: kmodguard needs CAP_AUDIT_READ (run it as root, or as a systemd service with AmbientCapabilities=CAP_AUDIT_READ CAP_AUDIT_CONTROL).", e),
        Errno.EPERM or Errno.EACCES =>
            new("not permitted to control the audit subsystem: kmodguard needs root or CAP_AUDIT_CONTROL and CAP_AUDIT_READ (inside a container without its own PID namespace the kernel refuses it too). Run it as root on the host, or as the packaged systemd service.", e),
        _ => new($"the kernel's audit subsystem failed: {e.Message}", e),
    };
}
