namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>Symbolic names for errno values (Linux x86_64/generic numbering), for messages and decision records.</summary>
internal static class ErrnoNames
{
    private static readonly string[] Names =
    [
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
        "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
        "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
        "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
    ];

    private static readonly Dictionary<int, string> More = new()
    {
        [61] = "ENODATA",
        [64] = "ENOPKG",
        [74] = "EBADMSG",
        [93] = "EPROTONOSUPPORT",
        [95] = "EOPNOTSUPP",
        [97] = "EAFNOSUPPORT",
        [105] = "ENOBUFS",
        [110] = "ETIMEDOUT",
        [111] = "ECONNREFUSED",
        [126] = "ENOKEY",
        [129] = "EKEYREJECTED",
    };

    public static string Name(int errno) =>
        errno > 0 && errno < Names.Length ? Names[errno] : More.TryGetValue(errno, out string? n) ? n : $"E{errno}";

    public static string Describe(int errno) => $"{Name(errno)} ({new System.ComponentModel.Win32Exception(errno).Message})";
}
