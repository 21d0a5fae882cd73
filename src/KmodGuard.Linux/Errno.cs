namespace KmodGuard.Linux;

/// <summary>Symbolic names for the errno values module syscalls, kill and /dev/kmsg return (x86_64/aarch64 numbering).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        ESRCH => "ESRCH",
        EINTR => "EINTR",
        EAGAIN => "EAGAIN",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EINVAL => "EINVAL",
        EPIPE => "EPIPE",
        ENOSYS => "ENOSYS",
        12 => "ENOMEM",
        13 => "EACCES",
        _ => $"errno {errno}",
    };
}
