using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

/// <summary>
/// Cgroup paths in the formats the runtimes document and create: Docker's cgroupfs and systemd drivers, the
/// kubelet's systemd and cgroupfs layouts with containerd and CRI-O, Podman rootful/rootless/cgroupfs, LXC legacy
/// and 4.x payload cgroups, nerdctl. Host-side helpers (conmon, lxc monitor) are not containers.
/// </summary>
public class CgroupContainerPatternsTests
{
    private const string A = "2f253cf12083a46625552f3f2ece6ed92f253cf12083a46625552f3f2ece6ed9";
    private const string B = "8e1c5e0e5f0d4d6a9a3b4f6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f901";

    [Theory]
    [InlineData("12:memory:/docker/" + A, A, "docker")]
    [InlineData("0::/system.slice/docker-" + A + ".scope", A, "docker")]
    [InlineData("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod7f1c2d3e_4a5b_6c7d_8e9f_0a1b2c3d4e5f.slice/cri-containerd-" + A + ".scope", A, "containerd")]
    [InlineData("0::/system.slice/nerdctl-" + A + ".scope", A, "containerd")]
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7f1c2d3e_4a5b.slice/crio-" + A + ".scope", A, "cri-o")]
    [InlineData("11:pids:/kubepods/burstable/pod7f1c2d3e-4a5b/crio-" + A, A, "cri-o")]
    [InlineData("0::/machine.slice/libpod-" + A + ".scope/container", A, "podman")]
    [InlineData("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + A + ".scope", A, "podman")]
    [InlineData("0::/libpod_parent/libpod-" + A, A, "podman")]
    [InlineData("4:memory:/lxc/web01", "web01", "lxc")]
    [InlineData("0::/lxc.payload.web01/system.slice/ssh.service", "web01", "lxc")]
    [InlineData("0::/kubepods/besteffort/pod7f1c2d3e-4a5b/" + A, A, null)]
    [InlineData("0::/system.slice/docker-" + A + ".scope/docker/" + B, B, "docker")]
    public void A_runtimes_cgroup_names_the_container(string cgroupLine, string id, string? runtime)
    {
        Assert.True(CgroupContainerPatterns.TryMatch(cgroupLine + "\n", out string? foundId, out string? foundRuntime));
        Assert.Equal(id, foundId);
        Assert.Equal(runtime, foundRuntime);
    }

    [Theory]
    [InlineData("0::/")]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope")]
    [InlineData("0::/system.slice/systemd-udevd.service")]
    [InlineData("0::/system.slice/docker.service")]
    [InlineData("0::/machine.slice/libpod-conmon-" + A + ".scope")]
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/crio-conmon-" + A + ".scope")]
    [InlineData("0::/lxc.monitor.web01")]
    [InlineData("0::/system.slice/docker-" + "abc" + ".scope")]
    [InlineData("garbage without colons")]
    [InlineData("")]
    public void Host_cgroups_and_runtime_helpers_are_not_containers(string cgroupFile)
    {
        Assert.False(CgroupContainerPatterns.TryMatch(cgroupFile, out _, out _));
    }

    [Fact]
    public void A_cgroup_v1_file_matches_on_any_hierarchy()
    {
        string file = $"13:name=systemd:/docker/{A}\n12:pids:/docker/{A}\n1:cpu:/\n0::/\n";
        Assert.True(CgroupContainerPatterns.TryMatch(file, out string? id, out string? runtime));
        Assert.Equal((A, "docker"), (id, runtime));
    }
}
