using System.Text.RegularExpressions;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// Recognises container runtimes from the cgroup paths they create (cgroup v1 and v2, systemd and cgroupfs drivers):
/// <list type="bullet">
/// <item>docker: <c>/system.slice/docker-ID.scope</c>, <c>/docker/ID</c></item>
/// <item>containerd: <c>cri-containerd-ID.scope</c> (Kubernetes CRI), <c>nerdctl-ID.scope</c></item>
/// <item>cri-o: <c>crio-ID.scope</c>, <c>/kubepods/.../crio-ID</c> (not <c>crio-conmon-ID</c>, the host-side monitor)</item>
/// <item>podman: <c>/machine.slice/libpod-ID.scope</c>, rootless under <c>user@UID.service</c>, <c>/libpod_parent/libpod-ID</c>
/// (not <c>libpod-conmon-ID</c>)</item>
/// <item>lxc: <c>/lxc/NAME</c> (legacy), <c>/lxc.payload.NAME</c> (LXC 4+, LXD; not <c>lxc.monitor.NAME</c>)</item>
/// <item>a bare 64-hex id under <c>/kubepods</c> (cgroupfs driver): a container whose runtime the path does not name</item>
/// </list>
/// The deepest matching segment wins, so a container nested in another reports the inner one.
/// </summary>
internal static partial class CgroupContainerPatterns
{
    /// <summary>Finds a container in the text of /proc/PID/cgroup (lines <c>hierarchy:controllers:path</c>).</summary>
    public static bool TryMatch(string cgroupFile, out string? id, out string? runtime)
    {
        ArgumentNullException.ThrowIfNull(cgroupFile);
        foreach (string line in cgroupFile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int second = line.IndexOf(':', line.IndexOf(':', StringComparison.Ordinal) + 1);
            if (second >= 0 && TryMatchPath(line[(second + 1)..], out id, out runtime))
            {
                return true;
            }
        }

        id = runtime = null;
        return false;
    }

    public static bool TryMatchPath(string path, out string? id, out string? runtime)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = segments.Length - 1; i >= 0; i--)
        {
            string segment = segments[i];
            string? parent = i > 0 ? segments[i - 1] : null;
            if (ScopePattern().Match(segment) is { Success: true } scope)
            {
                id = scope.Groups["id"].Value;
                runtime = scope.Groups["prefix"].Value switch
                {
                    "docker" => "docker",
                    "crio" => "cri-o",
                    "libpod" => "podman",
                    _ => "containerd",
                };
                return true;
            }

            if (segment.StartsWith("lxc.payload.", StringComparison.Ordinal) || (parent == "lxc" && !segment.StartsWith("lxc.", StringComparison.Ordinal)))
            {
                id = segment.StartsWith("lxc.payload.", StringComparison.Ordinal) ? segment["lxc.payload.".Length..] : segment;
                runtime = "lxc";
                return true;
            }

            if (BareIdPattern().IsMatch(segment) && (parent == "docker" || segments.Any(s => s.StartsWith("kubepods", StringComparison.Ordinal))))
            {
                id = segment;
                runtime = parent == "docker" ? "docker" : null;
                return true;
            }
        }

        id = runtime = null;
        return false;
    }

    [GeneratedRegex("^(?<prefix>docker|cri-containerd|nerdctl|crio|libpod)-(?<id>[0-9a-f]{64})(\\.scope)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex BareIdPattern();
}
