using System.Diagnostics;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Packaging.Tests;

/// <summary>
/// The shipped binary under the unit's system call filter, address family restriction and MemoryDenyWriteExecute,
/// applied by sandbox.py with libseccomp the way systemd applies them (no systemd needed). A JIT build in the same
/// sandbox is the control: it must die, or the emulation proves nothing.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class SandboxTests(Packages packages) : IDisposable
{
    private static readonly Dictionary<string, int> Families = new(StringComparer.Ordinal)
    {
        ["AF_UNIX"] = 1, ["AF_INET"] = 2, ["AF_INET6"] = 10, ["AF_NETLINK"] = 16,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("kg-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void SkipUnlessUsable()
    {
        Repo.SkipUnlessTool("systemd-analyze", "systemd");
        Skip.IfNot(File.Exists("/usr/bin/python3") && Repo.Run("/usr/bin/python3", "-c", "import seccomp").ExitCode == 0,
            "needs python3-seccomp (./build.sh test installs it as root)");
    }

    /// <summary>The command line that runs <paramref name="command"/> in the unit's sandbox.</summary>
    private string[] Sandboxed(params string[] command)
    {
        string[] unit = File.ReadAllLines(Repo.UnitFile);
        string syscalls = Path.Combine(_dir, "syscalls");
        File.WriteAllLines(syscalls, AllowedSyscalls(unit));
        string families = string.Join(',', Value(unit, "RestrictAddressFamilies").Split(' ').Select(f => Families[f]));
        return [Path.Combine(AppContext.BaseDirectory, "sandbox.py"), syscalls, Value(unit, "SystemCallErrorNumber"), families, "--", .. command];
    }

    [SkippableFact]
    public void The_NativeAOT_agent_starts_serves_and_stops_inside_the_units_sandbox()
    {
        SkipUnlessUsable();
        Repo.Result version = Repo.Run("/usr/bin/python3", Sandboxed(packages.Binary, "version"));
        Assert.True(version.ExitCode == 0, version.All);
        Assert.Contains("NativeAOT", version.Out, StringComparison.Ordinal);

        string config = Path.Combine(_dir, "kmodguard.yaml");
        File.WriteAllText(config, $"policy:\n  path: {_dir}/policy.yaml\nstatus_socket: {_dir}/run/status.sock\n");
        using var systemd = new NotifySocketListener(Path.Combine(_dir, "notify"));
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in Sandboxed(packages.Binary, "service-probe", "--config", config))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["NOTIFY_SOCKET"] = systemd.Path;
        psi.Environment["WATCHDOG_USEC"] = "500000";
        using Process agent = Process.Start(psi)!;
        Task<string> stderr = agent.StandardError.ReadToEndAsync();
        try
        {
            systemd.WaitFor("READY=1", TimeSpan.FromSeconds(20));
            systemd.WaitFor("WATCHDOG=1", TimeSpan.FromSeconds(5));
            Repo.Result status = Repo.Run(packages.Binary, "status", "--socket", $"{_dir}/run/status.sock");
            Assert.True(status.ExitCode == 0, status.All);
            Assert.True(Repo.Run("/bin/sh", "-c", $"kill -TERM {agent.Id}").ExitCode == 0);
            systemd.WaitFor("STOPPING=1", TimeSpan.FromSeconds(10));
            Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.True(agent.ExitCode == 0, $"exit {agent.ExitCode}: {stderr.Result}");
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
            }
        }
    }

    [SkippableFact]
    public void A_JIT_build_dies_in_the_same_sandbox_so_the_emulation_has_teeth()
    {
        SkipUnlessUsable();
        string jit = Path.Combine(Repo.Artifacts, "bin", "KmodGuard.Agent", "release", "kmodguard");
        Skip.IfNot(File.Exists(jit), $"{jit} is not built (./build.sh build)");
        Assert.Equal(0, Repo.Run(jit, "version").ExitCode);
        Repo.Result r = Repo.Run("/usr/bin/python3", Sandboxed(jit, "version"));
        Assert.NotEqual(0, r.ExitCode);
    }

    private static string Value(string[] unit, string key) =>
        unit.Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    /// <summary>SystemCallFilter= lines in order: the first allows, "~" lines take away; groups expanded by systemd.</summary>
    private static SortedSet<string> AllowedSyscalls(string[] unit)
    {
        Dictionary<string, List<string>> groups = Groups();
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in unit.Where(l => l.StartsWith("SystemCallFilter=", StringComparison.Ordinal)))
        {
            string value = line["SystemCallFilter=".Length..];
            bool deny = value.StartsWith('~');
            foreach (string item in value.TrimStart('~').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (string call in Expand(item, groups))
                {
                    if (deny)
                    {
                        allowed.Remove(call);
                    }
                    else
                    {
                        allowed.Add(call);
                    }
                }
            }
        }

        return allowed;
    }

    private static IEnumerable<string> Expand(string item, Dictionary<string, List<string>> groups) =>
        item.StartsWith('@') ? groups[item].SelectMany(i => Expand(i, groups)) : [item];

    /// <summary>systemd-analyze syscall-filter: "@group" lines, then its members indented, "#" comments.</summary>
    private static Dictionary<string, List<string>> Groups()
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (string raw in Repo.Run(Repo.Tool("systemd-analyze")!, "syscall-filter", "--no-pager").Out.Split('\n'))
        {
            string line = raw.Trim();
            if (raw.StartsWith('@'))
            {
                groups[line.Split(' ')[0]] = current = [];
            }
            else if (current is not null && line.Length > 0 && !line.StartsWith('#'))
            {
                current.Add(line);
            }
        }

        return groups;
    }
}
