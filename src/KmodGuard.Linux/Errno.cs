namespace KmodGuard.Linux;

/// <summary>errno values the Linux back-end handles by name, and symbolic names for all the common ones
/// (x86_64/aarch64 numbering), for messages and decision records.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int EPROTONOSUPPORT = 93;
    public const int EAFNOSUPPORT = 97;
    public const int ENOBUFS = 105;
    public const int ECONNREFUSED = 111;

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
        errno > 0 && errno < Names.Length ? Names[errno] : More.TryGetValue(errno, out string? n) ? n : $"errno {errno}";

    /// <summary>"ENOSYS (Function not implemented)".</summary>
    public static string Describe(int errno) => $"{Name(errno)} ({new System.ComponentModel.Win32Exception(errno).Message})";
}
