namespace KmodGuard.Packaging.Tests;

/// <summary>The .rpm ships what the .deb ships (the unit in /usr/lib/systemd/system, as RPM distributions keep it).</summary>
[Collection(PackagesCollection.Name)]
public sealed class RpmTests(Packages packages)
{
    private static string[] Lines(Repo.Result r)
    {
        Assert.True(r.ExitCode == 0, r.All);
        return r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [SkippableFact]
    public void The_rpm_has_the_same_files_as_the_deb()
    {
        Repo.SkipUnlessTool("rpm", "rpm");
        string[] rpm = Lines(Repo.Run("rpm", "-qlp", packages.Rpm)).Order(StringComparer.Ordinal).ToArray();
        string[] deb = Lines(Repo.Run("/bin/sh", "-c", $"dpkg-deb --fsys-tarfile '{packages.Deb}' | tar -t"))
            .Select(p => p.TrimStart('.').TrimEnd('/'))
            .Where(p => p.Length > 0 && !p.StartsWith("/usr/share/lintian", StringComparison.Ordinal))
            .Select(p => p == "/lib/systemd" || p.StartsWith("/lib/systemd/", StringComparison.Ordinal) ? "/usr" + p : p)
            .ToArray();

        // rpm lists the files and the directories it owns; dpkg-deb every directory on the way.
        Assert.All(rpm, p => Assert.Contains(p, deb));
        Assert.All(deb.Where(p => !IsSharedDirectory(p)), p => Assert.Contains(p, rpm));
    }

    [SkippableFact]
    public void The_configuration_is_marked_as_such_and_the_scriptlets_enable_and_clean_up()
    {
        Repo.SkipUnlessTool("rpm", "rpm");
        Assert.Equal(["/etc/kmodguard/kmodguard.yaml", "/etc/kmodguard/policy.yaml"], Lines(Repo.Run("rpm", "-qpc", packages.Rpm)));
        string scripts = string.Join('\n', Lines(Repo.Run("rpm", "-qp", "--scripts", packages.Rpm)));
        Assert.Contains("systemctl enable kmodguard.service", scripts, StringComparison.Ordinal);
        Assert.Contains("disable --now kmodguard.service", scripts, StringComparison.Ordinal);
        Assert.Contains("rm -rf /var/lib/kmodguard", scripts, StringComparison.Ordinal);
        Assert.Contains(Lines(Repo.Run("rpm", "-qp", "--requires", packages.Rpm)), r => r.StartsWith("libc.so.6(GLIBC_2.", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(Repo.Run("rpm", "-qp", "--provides", packages.Rpm)), p => p.Contains(".so", StringComparison.Ordinal));
    }

    /// <summary>Directories the system owns, which the .deb lists and the .rpm rightly does not claim.</summary>
    private static bool IsSharedDirectory(string path) => path is "" or "/etc" or "/usr" or "/usr/bin" or "/usr/lib" or "/usr/lib/systemd"
        or "/usr/lib/systemd/system" or "/usr/share" or "/usr/share/doc" or "/usr/share/bash-completion"
        or "/usr/share/bash-completion/completions" or "/var" or "/var/lib" or "/lib";
}
