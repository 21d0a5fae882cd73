using KmodGuard.Core.Events;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

public sealed class ContainerDetectorTests : IDisposable
{
    private const string Id = "2f253cf12083a46625552f3f2ece6ed92f253cf12083a46625552f3f2ece6ed9";
    private readonly string _root = Directory.CreateTempSubdirectory("kmodguard-proc-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_docker_cgroup_makes_a_container_with_its_id_and_runtime()
    {
        FakeProcess(100, $"0::/system.slice/docker-{Id}.scope\n", pidNs: 4026531836);
        FakeProcess(1, "0::/init.scope\n", pidNs: 4026531836);
        Assert.Equal(ContainerContext.Container(Id, "docker"), Detector().Detect(100));
    }

    [Fact]
    public void Another_pid_namespace_without_a_known_cgroup_is_a_container_of_unknown_runtime()
    {
        FakeProcess(100, "0::/user.slice/session-1.scope\n", pidNs: 4026532999);
        FakeProcess(1, "0::/init.scope\n", pidNs: 4026531836);
        Assert.Equal(ContainerContext.Container(null, null), Detector().Detect(100));
    }

    [Fact]
    public void Another_mount_namespace_alone_is_not_a_container()
    {
        FakeProcess(100, "0::/system.slice/systemd-udevd.service\n", pidNs: 4026531836, mntNs: 4026532500);
        FakeProcess(1, "0::/init.scope\n", pidNs: 4026531836, mntNs: 4026531841);
        Assert.Equal(ContainerContext.Host, Detector().Detect(100));
    }

    [Fact]
    public void A_process_that_is_gone_gives_no_answer() => Assert.Null(Detector().Detect(12345));

    [Fact]
    public void A_real_child_in_the_agents_namespaces_is_on_the_host()
    {
        using ChildProcess child = ChildProcess.Start("echo $$; exec sleep 30");
        int pid = child.ReadPidOfSleep();
        Assert.Equal(ContainerContext.Host, new ContainerDetector(ProcFileSystem.Host).Detect(pid));
    }

    [SkippableFact]
    public void A_real_child_in_a_new_pid_namespace_is_in_a_container()
    {
        // unshare forks the child into the new namespace; it prints its pid as seen from here via /proc/self.
        using ChildProcess child = ChildProcess.Start("unshare --pid --fork --mount-proc sh -c 'echo ready; exec sleep 30' 2>&1");
        string first = child.ReadLine();
        Skip.If(first != "ready", $"unshare cannot create a pid namespace here: {first}");
        int pid = SleepingDescendant(child.ShellPid);
        Assert.Equal(ContainerContext.Container(null, null), new ContainerDetector(ProcFileSystem.Host).Detect(pid));
    }

    [SkippableFact]
    public void A_real_child_in_only_a_new_mount_namespace_is_on_the_host()
    {
        using ChildProcess child = ChildProcess.Start("unshare --mount sh -c 'echo ready; exec sleep 30' 2>&1");
        string first = child.ReadLine();
        Skip.If(first != "ready", $"unshare cannot create a mount namespace here: {first}");
        int pid = SleepingDescendant(child.ShellPid);
        Assert.NotEqual(File.ResolveLinkTarget("/proc/self/ns/mnt", false)!.ToString(), File.ResolveLinkTarget($"/proc/{pid}/ns/mnt", false)!.ToString());
        Assert.Equal(ContainerContext.Host, new ContainerDetector(ProcFileSystem.Host).Detect(pid));
    }

    /// <summary>The pid (in our namespace) of the "sleep" below <paramref name="ancestor"/>.</summary>
    internal static int SleepingDescendant(int ancestor)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid) && ProcFileSystem.Host.ReadStat(pid) is { Comm: "sleep" } && IsDescendant(pid, ancestor))
                {
                    return pid;
                }
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException("no sleeping child found");
    }

    private static bool IsDescendant(int pid, int ancestor)
    {
        for (int p = pid, depth = 0; p > 1 && depth < 10; depth++)
        {
            if (ProcFileSystem.Host.ReadStat(p) is not { } stat)
            {
                return false;
            }

            if (stat.ParentPid == ancestor)
            {
                return true;
            }

            p = stat.ParentPid;
        }

        return false;
    }

    private ContainerDetector Detector() => new(new ProcFileSystem(_root));

    private void FakeProcess(int pid, string cgroup, ulong pidNs, ulong mntNs = 4026531841)
    {
        string dir = Path.Combine(_root, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(dir, "ns"));
        File.WriteAllText(Path.Combine(dir, "cgroup"), cgroup);
        File.CreateSymbolicLink(Path.Combine(dir, "ns", "pid"), $"pid:[{pidNs}]");
        File.CreateSymbolicLink(Path.Combine(dir, "ns", "mnt"), $"mnt:[{mntNs}]");
    }
}
