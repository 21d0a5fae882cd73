using System.Globalization;
using System.Text.RegularExpressions;

namespace KmodGuard.Packaging.Tests;

/// <summary>The hardened unit against systemd's own exposure rating and the units of comparable agents.</summary>
public sealed partial class UnitFileTests
{
    /// <summary>Exposure from 0 (best) to 10, as systemd-analyze security --offline=true rates a unit file.</summary>
    internal static decimal Exposure(string unitFile)
    {
        Repo.Result r = Repo.Run(Repo.Tool("systemd-analyze")!, "security", "--offline=true", "--no-pager", unitFile);
        Match m = OverallLine().Match(r.Out);
        Assert.True(m.Success, $"no overall exposure in systemd-analyze's answer for {unitFile}:\n{r.All}");
        return decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [SkippableFact]
    public void The_unit_is_rated_better_than_auditbeats_and_falcos_and_the_guide_says_by_how_much()
    {
        Repo.SkipUnlessTool("systemd-analyze", "systemd");
        decimal ours = Exposure(Repo.UnitFile);
        decimal auditbeat = Exposure(Repo.Fixture("auditbeat.service"));
        decimal falco = Exposure(Repo.Fixture("falco-modern-bpf.service"));
        Assert.True(ours < auditbeat && ours < falco, $"kmodguard {ours}, auditbeat {auditbeat}, falco {falco}");

        string guide = File.ReadAllText(Path.Combine(Repo.Root, "docs", "deployment.md"));
        foreach ((string name, decimal score) in new[] { ("kmodguard.service", ours), ("auditbeat.service", auditbeat), ("falco-modern-bpf.service", falco) })
        {
            Assert.Matches($@"\| `{Regex.Escape(name)}`[^|]*\| {score.ToString("0.0", CultureInfo.InvariantCulture)} ", guide);
        }
    }

    [SkippableFact]
    public void The_unit_keeps_what_the_guard_needs()
    {
        // The hardening must not take away what the agent relies on: each line here is a reason in the unit's comments.
        string[] lines = File.ReadAllLines(Repo.UnitFile).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Contains("Type=notify", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains(lines, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Contains("CapabilityBoundingSet=CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_SYS_MODULE CAP_KILL CAP_SYS_PTRACE CAP_DAC_READ_SEARCH CAP_SYSLOG", lines);
        Assert.Contains("RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6", lines);
        Assert.Contains("MemoryDenyWriteExecute=yes", lines);
        Assert.Contains("ProtectSystem=strict", lines);
        Assert.DoesNotContain("ProtectKernelModules=yes", lines); // would forbid delete_module and hide /lib/modules
        Assert.DoesNotContain("ProtectKernelLogs=yes", lines); // would hide /dev/kmsg
        Assert.DoesNotContain("ProtectHome=yes", lines); // modules loaded from home directories must be readable
        Assert.Contains(lines, l => l.StartsWith("SystemCallFilter=", StringComparison.Ordinal) && l.Contains("delete_module", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d)")]
    private static partial Regex OverallLine();
}
