namespace KmodGuard.Packaging.Tests;

/// <summary>
/// The .deb in a debootstrapped Debian 12 root: files land where expected with the right modes, the maintainer scripts
/// work without a running systemd (and without its helpers), the binary runs there, and purge leaves nothing behind.
/// </summary>
[Collection(PackagesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DebInstallTests(Packages packages, DebianRoot debian) : IClassFixture<DebianRoot>
{
    private const string Unit = "/lib/systemd/system/kmodguard.service";
    private const string Denylist = "/etc/modprobe.d/kmodguard.conf";

    /// <summary>What dpkg itself changes on any install and purge: its database, backups and log.</summary>
    private static bool IsDpkgBookkeeping(string entry) =>
        entry.StartsWith("/var/lib/dpkg/", StringComparison.Ordinal) || entry.StartsWith("/var/log/dpkg.log ", StringComparison.Ordinal);

    private string InRoot(string path) => Path.Combine(debian.Path, path.TrimStart('/'));

    private void Install()
    {
        File.Copy(packages.Deb, InRoot("/tmp/kmodguard.deb"), overwrite: true);
        Repo.Result r = debian.Chroot("dpkg", "-i", "/tmp/kmodguard.deb");
        File.Delete(InRoot("/tmp/kmodguard.deb"));
        Assert.True(r.ExitCode == 0, $"dpkg -i failed:\n{r.All}");
    }

    private void Purge()
    {
        Repo.Result r = debian.Chroot("dpkg", "--purge", "kmodguard");
        Assert.True(r.ExitCode == 0, $"dpkg --purge failed:\n{r.All}");
    }

    private static void AssertNothingLeft(SortedSet<string> before, SortedSet<string> after)
    {
        string[] added = after.Except(before).Where(e => !IsDpkgBookkeeping(e)).ToArray();
        string[] removed = before.Except(after).Where(e => !IsDpkgBookkeeping(e)).ToArray();
        Assert.True(added.Length == 0 && removed.Length == 0,
            $"purge left a trace:\n  added: {string.Join("\n         ", added)}\n  removed: {string.Join("\n           ", removed)}");
    }

    [SkippableFact]
    public void Installs_enables_runs_and_purges_without_a_trace()
    {
        DebianRoot.SkipUnlessUsable();
        string deb = packages.Deb;
        Assert.NotNull(deb);
        Directory.CreateDirectory(InRoot("/etc/modprobe.d"));
        SortedSet<string> before = debian.Snapshot();

        Install();

        // The layout and the modes; the native libraries the publish produced travel with the binary.
        Assert.Equal("../lib/kmodguard/kmodguard", new FileInfo(InRoot("/usr/bin/kmodguard")).LinkTarget);
        Assert.Equal("755", Mode("/usr/lib/kmodguard/kmodguard"));
        foreach (string library in Directory.EnumerateFiles(Path.Combine(Repo.Artifacts, "publish"), "*.so"))
        {
            Assert.Equal("644", Mode("/usr/lib/kmodguard/" + Path.GetFileName(library)));
        }

        Assert.Equal("644", Mode(Unit));
        Assert.Equal("640", Mode("/etc/kmodguard/kmodguard.yaml"));
        Assert.Equal("640", Mode("/etc/kmodguard/policy.yaml"));
        Assert.Equal("700", Mode("/var/lib/kmodguard"));
        Assert.True(File.Exists(InRoot("/usr/share/bash-completion/completions/kmodguard")));
        Assert.True(File.Exists(InRoot("/usr/share/doc/kmodguard/deployment.md")));
        Assert.True(File.Exists(InRoot("/usr/share/doc/kmodguard/copyright")));
        Assert.Equal(["/etc/kmodguard/kmodguard.yaml", "/etc/kmodguard/policy.yaml"],
            debian.Chroot("dpkg-query", "--showformat=${Conffiles}", "--show", "kmodguard").Out
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')[0]));

        // Enabled for the next boot, not started: no systemd runs in here.
        Assert.Equal(Unit, new FileInfo(InRoot("/etc/systemd/system/multi-user.target.wants/kmodguard.service")).LinkTarget);

        // The NativeAOT binary runs on a plain Debian 12 and checks the shipped configuration and policy.
        Repo.Result version = debian.Chroot("/usr/bin/kmodguard", "version");
        Assert.True(version.ExitCode == 0, version.All);
        Assert.Contains("NativeAOT", version.Out, StringComparison.Ordinal);
        Repo.Result policy = debian.Chroot("/usr/bin/kmodguard", "policy", "check", "/etc/kmodguard/policy.yaml");
        Assert.True(policy.ExitCode == 0, policy.All);

        // The unit as installed passes systemd's own checks against this root.
        if (Repo.Tool("systemd-analyze") is { } analyze)
        {
            Repo.Result verify = Repo.Run(analyze, "verify", $"--root={debian.Path}", Unit);
            Assert.True(verify.ExitCode == 0 && verify.All.Length == 0, $"systemd-analyze verify:\n{verify.All}");
        }

        // What the agent writes at run time goes on purge too; an administrator's modprobe file stays.
        File.WriteAllText(InRoot("/var/lib/kmodguard/audit-settings"), "enabled=1\n");
        File.WriteAllText(InRoot(Denylist), "# Written by KmodGuard from policy /etc/kmodguard/policy.yaml (sha256 0).\nblacklist evil\n");
        File.WriteAllText(InRoot("/etc/modprobe.d/local.conf"), "blacklist pcspkr\n");
        Purge();
        Assert.False(File.Exists(InRoot(Denylist)));
        File.Delete(InRoot("/etc/modprobe.d/local.conf"));
        AssertNothingLeft(before, debian.Snapshot());
    }

    [SkippableFact]
    public void Maintainer_scripts_succeed_without_systemd_or_its_helpers()
    {
        DebianRoot.SkipUnlessUsable();
        string[] helpers = ["/usr/bin/deb-systemd-helper", "/usr/bin/deb-systemd-invoke", "/usr/bin/systemctl"];
        SortedSet<string> before = debian.Snapshot();
        foreach (string helper in helpers)
        {
            File.Move(InRoot(helper), InRoot(helper) + ".hidden");
        }

        try
        {
            Install();
            Assert.False(File.Exists(InRoot("/etc/systemd/system/multi-user.target.wants/kmodguard.service")));
            Assert.True(debian.Chroot("/usr/bin/kmodguard", "version").ExitCode == 0);
            Purge();
        }
        finally
        {
            foreach (string helper in helpers)
            {
                File.Move(InRoot(helper) + ".hidden", InRoot(helper));
            }
        }

        AssertNothingLeft(before, debian.Snapshot());
    }

    [SkippableFact]
    public void An_administrators_denylist_of_the_same_name_survives_removal()
    {
        DebianRoot.SkipUnlessUsable();
        Directory.CreateDirectory(InRoot("/etc/modprobe.d"));
        Install();
        File.WriteAllText(InRoot(Denylist), "# my own\nblacklist usb_storage\n");
        Assert.True(debian.Chroot("dpkg", "--remove", "kmodguard").ExitCode == 0);
        Assert.True(File.Exists(InRoot(Denylist)));
        Purge();
        Assert.True(File.Exists(InRoot(Denylist)));
        File.Delete(InRoot(Denylist));
    }

    private string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(InRoot(path)), 8);
}
