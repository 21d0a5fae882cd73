using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Tests.Audit.Rules;

public sealed class KmodGuardRuleSetTests
{
    /// <summary>A merged-/usr Debian: /sbin → usr/sbin, /bin → usr/bin, /lib → usr/lib, insmod etc. → kmod.</summary>
    private static readonly Dictionary<string, string> DebianLinks = new(StringComparer.Ordinal)
    {
        ["/usr/bin/kmod"] = "/usr/bin/kmod",
        ["/sbin/insmod"] = "/usr/bin/kmod",
        ["/sbin/modprobe"] = "/usr/bin/kmod",
        ["/sbin/rmmod"] = "/usr/bin/kmod",
        ["/bin/busybox"] = "/usr/bin/busybox",
        ["/lib/modprobe.d/"] = "/usr/lib/modprobe.d",
        ["/etc/modprobe.d/"] = "/etc/modprobe.d",
        ["/etc/modules-load.d/"] = "/etc/modules-load.d",
        ["/usr/lib/modules-load.d/"] = "/usr/lib/modules-load.d",
        ["/usr/lib/modprobe.d/"] = "/usr/lib/modprobe.d",
        ["/etc/modules"] = "/etc/modules",
    };

    private static readonly HashSet<string> Directories = ["/usr/lib/modprobe.d", "/etc/modprobe.d", "/etc/modules-load.d", "/usr/lib/modules-load.d"];

    [Fact]
    public void On_a_merged_usr_x86_64_machine_every_tool_is_watched_once_through_its_real_path()
    {
        var set = new KmodGuardRuleSet(new RuleSetEnvironment(AuditArch.X8664, p => DebianLinks[p], DebianLinks.ContainsKey, Directories.Contains));

        Assert.Equal(
        [
            "-a always,exit -F arch=b64 -S init_module,delete_module,finit_module -F key=kmodguard",
            "-a always,exit -F arch=b32 -S init_module,delete_module,finit_module -F key=kmodguard",
            "-w /usr/bin/kmod -p x -k kmodguard",
            "-w /usr/bin/busybox -p x -k kmodguard",
            "-w /etc/modules -p wa -k kmodguard",
            "-w /etc/modules-load.d -p wa -k kmodguard",
            "-w /usr/lib/modules-load.d -p wa -k kmodguard",
            "-w /etc/modprobe.d -p wa -k kmodguard",
            "-w /usr/lib/modprobe.d -p wa -k kmodguard",
        ], set.Rules.Select(r => r.Text));
        Assert.All(set.Rules, r => Assert.Equal(r.Bytes, AuditRule.FromWireFormat(r.Bytes).ToWireFormat()));
        Assert.All(set.Rules, r => Assert.Equal([KmodGuardRuleSet.Key], r.Rule.Keys));
    }

    [Fact]
    public void Directories_get_directory_watches_and_missing_tools_no_watch()
    {
        var set = new KmodGuardRuleSet(new RuleSetEnvironment(AuditArch.X8664, p => p.TrimEnd('/'), p => p == "/sbin/insmod", Directories.Contains));

        Assert.Single(set.Rules, r => r.Text.StartsWith("-w /sbin/insmod -p x", StringComparison.Ordinal));
        Assert.DoesNotContain(set.Rules, r => r.Text.Contains("busybox", StringComparison.Ordinal));
        KmodGuardRule modprobeD = set.Rules.Single(r => r.Text.StartsWith("-w /etc/modprobe.d ", StringComparison.Ordinal));
        Assert.Equal(AuditFieldIds.Dir, modprobeD.Rule.Fields[0].Id);
        KmodGuardRule modules = set.Rules.Single(r => r.Text.StartsWith("-w /etc/modules ", StringComparison.Ordinal));
        Assert.Equal(AuditFieldIds.Watch, modules.Rule.Fields[0].Id);
    }

    [Fact]
    public void Arm64_gets_the_compat_arm_rule_with_arms_syscall_numbers()
    {
        var set = new KmodGuardRuleSet(new RuleSetEnvironment(AuditArch.Aarch64, p => p, _ => false, _ => false));

        AuditRule b32 = set.Rules[1].Rule;
        Assert.Equal(AuditArch.Arm, b32.Fields[0].Value);
        Assert.Equal([128, 129, 379], Enumerable.Range(0, 2048).Where(n => (b32.Mask[n / 32] & (1u << (n % 32))) != 0));
        Assert.Equal("-a always,exit -F arch=b64 -S init_module,delete_module,finit_module -F key=kmodguard", set.Rules[0].Text);
    }

    [SkippableFact]
    public void On_this_machine_the_rules_watch_existing_tools_through_their_real_paths()
    {
        Skip.IfNot(File.Exists("/usr/bin/kmod"), "needs kmod installed");

        var set = KmodGuardRuleSet.ForThisMachine();

        string real = CanonicalPath.Resolve("/sbin/insmod");
        Assert.Single(set.Rules, r => r.Text == $"-w {real} -p x -k kmodguard" || r.Text.StartsWith($"-w {real} ", StringComparison.Ordinal));
        Assert.Equal(set.Rules.Count, set.Rules.Select(r => r.Text).Distinct().Count());
    }

    [Fact]
    public void Canonical_paths_resolve_symlinks_in_the_existing_part_and_keep_the_rest()
    {
        DirectoryInfo temp = Directory.CreateTempSubdirectory("kmodguard-canon-");
        try
        {
            string real = Directory.CreateDirectory(Path.Combine(temp.FullName, "usr", "lib")).FullName;
            File.CreateSymbolicLink(Path.Combine(temp.FullName, "lib"), "usr/lib");
            File.WriteAllText(Path.Combine(real, "tool"), "");
            File.CreateSymbolicLink(Path.Combine(real, "alias"), "tool");

            Assert.Equal(Path.Combine(real, "tool"), CanonicalPath.Resolve(Path.Combine(temp.FullName, "lib", "alias")));
            Assert.Equal(Path.Combine(real, "modprobe.d"), CanonicalPath.Resolve(Path.Combine(temp.FullName, "lib", "modprobe.d") + "/"));
            Assert.Equal(Path.Combine(real, "x", "y"), CanonicalPath.Resolve(Path.Combine(temp.FullName, "lib", "x", "..", "x", "y")));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
