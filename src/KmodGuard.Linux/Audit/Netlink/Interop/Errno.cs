namespace KmodGuard.Linux.Audit.Netlink.Interop;

/// <summary>The errno values the audit client handles by name.</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int EINVAL = 22;
    internal const int ENOBUFS = 105;
    internal const int EPROTONOSUPPORT = 93;
    internal const int EAFNOSUPPORT = 97;
    internal const int ECONNREFUSED = 111;
}
