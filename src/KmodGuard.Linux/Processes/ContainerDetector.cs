using System.Globalization;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// Says whether a process runs in a container, from its cgroup path (which runtime, which id) and its pid
/// namespace compared with the host's (pid 1's; the agent's own when pid 1's cannot be read).
/// A separate mount namespace alone is not a container: systemd gives one to every service with PrivateTmp=,
/// ProtectSystem= and the like (udev among them), and calling those containers would deny ordinary autoloads.
/// </summary>
internal sealed class ContainerDetector(ProcFileSystem proc)
{
    // Fixed while the agent runs: read once it can be read. 0 = not yet (no namespace has inode 0); a plain ulong, so
    // enrichment threads reading it concurrently never see half a value.
    private ulong _hostPidNamespace;

    /// <summary>The container context, or null when the process is gone and nothing can be said.</summary>
    public ContainerContext? Detect(int pid)
    {
        string? cgroup = proc.ReadCgroup(pid);
        if (cgroup is not null && CgroupContainerPatterns.TryMatch(cgroup, out string? id, out string? runtime))
        {
            return ContainerContext.Container(id, runtime);
        }

        ulong? pidNamespace = proc.ReadNamespace(pid.ToString(CultureInfo.InvariantCulture), "pid");
        if (_hostPidNamespace == 0)
        {
            _hostPidNamespace = proc.ReadNamespace("1", "pid") ?? proc.ReadNamespace("self", "pid") ?? 0;
        }

        ulong? hostPidNamespace = _hostPidNamespace == 0 ? null : _hostPidNamespace;
        if (pidNamespace is not null && hostPidNamespace is not null && pidNamespace != hostPidNamespace)
        {
            return ContainerContext.Container(null, null);
        }

        return cgroup is null && pidNamespace is null ? null : ContainerContext.Host;
    }
}
