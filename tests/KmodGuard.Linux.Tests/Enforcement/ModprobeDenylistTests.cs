using System.Diagnostics;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Linux.Enforcement;

namespace KmodGuard.Linux.Tests.Enforcement;

public sealed class ModprobeDenylistTests : IDisposable
{
    private const string Policy = """
        version: 1
        mode: enforce
        default: allow
        rules:
          - id: deny-rootkits
            action: deny
            when:
              module.name: [diamorphine, reptile_module]
          - id: deny-linux-loads-of-bluetooth
            action: deny
            when:
              platform: linux
              operation: load
              module.name: [bluetooth, btusb, diamorphine]
          - id: deny-globbed
            action: deny
            when:
              module.name: ["evil*"]
          - id: deny-only-from-tmp
            action: deny
            when:
              module.name: [usb-storage]
              file.path: ["/tmp/**"]
          - id: deny-unless-signed
            action: deny
            when:
              module.name: [vboxdrv]
            unless:
              signature: signed-trusted
          - id: alert-nfs
            action: alert
            when:
              module.name: [nfs]
          - id: deny-unload
            action: deny
            when:
              operation: unload
              module.name: [kmodguard_guard]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-modprobe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfPath => Path.Combine(_dir, "kmodguard.conf");

    private static CompiledPolicy Compile(string yaml) => PolicyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "/etc/kmodguard/policy.yaml");

    [Fact]
    public void Only_deny_rules_that_refuse_a_module_whatever_else_holds_are_mirrored()
    {
        Assert.Equal(
            [("diamorphine", "deny-rootkits"), ("reptile_module", "deny-rootkits"), ("bluetooth", "deny-linux-loads-of-bluetooth"), ("btusb", "deny-linux-loads-of-bluetooth")],
            ModprobeDenylist.Entries(Compile(Policy).Definition));
    }

    [Fact]
    public void Renders_blacklist_and_install_lines_under_a_recognisable_header()
    {
        CompiledPolicy policy = Compile(Policy);
        string text = ModprobeDenylist.Render(policy);
        Assert.Equal(
            $"# Written by KmodGuard from policy /etc/kmodguard/policy.yaml (sha256 {policy.Sha256}).\n" +
            "# Do not edit: KmodGuard rewrites this file when its policy changes and removes it when uninstalled.\n" +
            "# rule deny-rootkits\nblacklist diamorphine\ninstall diamorphine /bin/false\n" +
            "# rule deny-rootkits\nblacklist reptile_module\ninstall reptile_module /bin/false\n" +
            "# rule deny-linux-loads-of-bluetooth\nblacklist bluetooth\ninstall bluetooth /bin/false\n" +
            "# rule deny-linux-loads-of-bluetooth\nblacklist btusb\ninstall btusb /bin/false\n",
            text);
    }

    [Fact]
    public void Names_that_could_smuggle_another_directive_are_left_out()
    {
        CompiledPolicy policy = Compile("version: 1\nmode: enforce\ndefault: allow\nrules:\n  - id: r\n    action: deny\n    when:\n      module.name: [\"a b\", \"x;y\", \"ok_one\", \"c\\ninstall d /bin/sh\"]\n");
        Assert.Equal([("ok_one", "r")], ModprobeDenylist.Entries(policy.Definition));
    }

    [Fact]
    public void Sync_writes_then_keeps_the_file_in_step_with_reloads_and_removes_it_when_no_rule_qualifies()
    {
        var denylist = new ModprobeDenylist(ConfPath);
        Assert.Equal(DenylistOutcome.Written, denylist.Sync(Compile(Policy)).Outcome);
        Assert.Equal(DenylistOutcome.Unchanged, denylist.Sync(Compile(Policy)).Outcome);

        DenylistSync reload = denylist.Sync(Compile(Policy.Replace("[diamorphine, reptile_module]", "[diamorphine]", StringComparison.Ordinal)));
        Assert.Equal(DenylistOutcome.Written, reload.Outcome);
        Assert.Equal(3, reload.Modules);
        Assert.DoesNotContain("reptile_module", File.ReadAllText(ConfPath), StringComparison.Ordinal);

        Assert.Equal(DenylistOutcome.Removed, denylist.Sync(Compile("version: 1\nmode: enforce\ndefault: allow\nrules: []\n")).Outcome);
        Assert.False(File.Exists(ConfPath));
        Assert.Equal([], Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_file_kmodguard_did_not_write_is_never_touched()
    {
        File.WriteAllText(ConfPath, "blacklist pcspkr\n");
        var denylist = new ModprobeDenylist(ConfPath);
        Assert.Equal(DenylistOutcome.Refused, denylist.Sync(Compile(Policy)).Outcome);
        Assert.Equal(DenylistOutcome.Refused, denylist.Remove().Outcome);
        Assert.Equal("blacklist pcspkr\n", File.ReadAllText(ConfPath));
    }

    [Fact]
    public void Uninstall_removes_our_file_and_an_unwritable_place_is_a_failure_not_a_crash()
    {
        var denylist = new ModprobeDenylist(ConfPath);
        denylist.Sync(Compile(Policy));
        Assert.Equal(DenylistOutcome.Removed, denylist.Remove().Outcome);
        Assert.Equal(DenylistOutcome.Unchanged, denylist.Remove().Outcome);

        DenylistSync failed = new ModprobeDenylist(Path.Combine(_dir, "no-such-dir", "kmodguard.conf")).Sync(Compile(Policy));
        Assert.Equal(DenylistOutcome.Failed, failed.Outcome);
    }

    [SkippableFact]
    public void Real_modprobe_reads_the_file_and_would_run_bin_false_instead_of_loading()
    {
        Skip.IfNot(File.Exists("/sbin/modprobe") || File.Exists("/usr/sbin/modprobe"), "needs kmod's modprobe (Debian package kmod)");
        new ModprobeDenylist(ConfPath).Sync(Compile(Policy));

        string config = Run("modprobe", "-C", _dir, "--showconfig");
        Assert.Contains("blacklist diamorphine", config, StringComparison.Ordinal);
        Assert.Contains("install btusb /bin/false", config, StringComparison.Ordinal);
        // -n: dry run. modprobe resolves the install command and would run it instead of loading anything.
        Assert.Equal("install /bin/false", Run("modprobe", "-C", _dir, "-n", "-v", "diamorphine").Trim());
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
