namespace KmodGuard.Linux;

/// <summary>
/// Where the kernel's /proc and /sys views and the module tree are: "/" on a real system, a directory of fake
/// files in tests or for offline analysis of a copied system.
/// </summary>
internal sealed record HostPaths(string Root)
{
    public static HostPaths Real { get; } = new("/");

    /// <summary>The running system itself rather than a directory of fake files.</summary>
    public bool IsReal => Root == "/";

    public string ProcModules => Under("proc/modules");

    public string SysModule => Under("sys/module");

    public string Tainted => Under("proc/sys/kernel/tainted");

    public string ModulesDisabled => Under("proc/sys/kernel/modules_disabled");

    /// <summary>The running kernel's release (what <c>uname -r</c> prints), readable under a fake root too.</summary>
    public string OsRelease => Under("proc/sys/kernel/osrelease");

    public string BootId => Under("proc/sys/kernel/random/boot_id");

    /// <summary>The kernel log device; under a fake root, a text capture of it.</summary>
    public string Kmsg => Under("dev/kmsg");

    public string LibModules(string release) => Path.Combine(Under("lib/modules"), release);

    public string SysModuleDirectory(string name) => Path.Combine(SysModule, name);

    private string Under(string relative) => Path.Combine(Root, relative);
}
