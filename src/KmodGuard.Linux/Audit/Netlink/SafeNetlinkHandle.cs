using Microsoft.Win32.SafeHandles;

namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>Owns a netlink socket descriptor; reference counting keeps a close from racing a receive.</summary>
internal sealed class SafeNetlinkHandle : SafeHandleMinusOneIsInvalid
{
    public SafeNetlinkHandle()
        : base(ownsHandle: true)
    {
    }

    public SafeNetlinkHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
