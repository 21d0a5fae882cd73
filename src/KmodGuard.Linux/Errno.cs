namespace KmodGuard.Linux;

/// <summary>errno values the Linux back-end handles by name, and their symbolic names for messages and decision records.</summary>
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

    /// <summary>"ENOSYS" for 38, from the table generated from the kernel headers.</summary>
    public static string Name(int errno) => Audit.Records.ErrnoNames.NameOf(errno) ?? $"errno {errno}";

    /// <summary>"ENOSYS (Function not implemented)".</summary>
    public static string Describe(int errno) => $"{Name(errno)} ({new System.ComponentModel.Win32Exception(errno).Message})";
}
