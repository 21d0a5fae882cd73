using System.Diagnostics;

namespace KmodGuard.Packaging.Tests;

/// <summary>
/// The packaged service under a real systemd: the Debian 12 root booted with systemd-nspawn, the .deb installed there,
/// the unit started with all its hardening. Containers block the audit socket, so a drop-in runs 'service-probe' (the
/// service plumbing without auditing) instead of 'run': this checks the systemd side, READY=1 to clean stop.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class SystemdServiceTests(Packages packages) : IDisposable
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(60);
    private readonly DebianRoot _debian = new();
    private Process? _nspawn;
    private int _init;

    public void Dispose()
    {
        if (_nspawn is not null)
        {
            if (!_nspawn.HasExited)
            {
                _nspawn.Kill(entireProcessTree: true);
                _nspawn.WaitForExit();
            }

            _nspawn.Dispose();
        }

        _debian.Dispose();
    }

    [SkippableFact]
    public void The_service_starts_reports_ready_reloads_keeps_its_watchdog_fed_and_stops_cleanly()
    {
        DebianRoot.SkipUnlessUsable();
        Repo.SkipUnlessTool("systemd-nspawn", "systemd-container");
        Repo.SkipUnlessTool("nsenter", "util-linux");
        File.Copy(packages.Deb, Path.Combine(_debian.Path, "root", "kmodguard.deb"));
        string dropIn = Path.Combine(_debian.Path, "etc", "systemd", "system", "kmodguard.service.d");
        Directory.CreateDirectory(dropIn);
        File.WriteAllText(Path.Combine(dropIn, "test.conf"),
            "[Service]\nExecStart=\nExecStart=/usr/bin/kmodguard service-probe --config /etc/kmodguard/kmodguard.yaml\nWatchdogSec=2s\n");
        BootContainer();

        // The postinst enables and starts it: systemd runs in here.
        Assert.Equal(0, Inside("dpkg", "-i", "/root/kmodguard.deb").ExitCode);
        Assert.Equal("active", Inside("systemctl", "is-active", "kmodguard").Out.Trim());
        Assert.StartsWith("service probe (no auditing): policy sha256 ", Inside("systemctl", "show", "-P", "StatusText", "kmodguard").Out, StringComparison.Ordinal);

        Repo.Result status = Inside("kmodguard", "status");
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("kmodguard agent: running", status.Out, StringComparison.Ordinal);

        Assert.Equal(0, Inside("systemctl", "reload", "kmodguard").ExitCode);
        Assert.True(Eventually(() => Inside("journalctl", "-u", "kmodguard", "--no-pager").Out.Contains("policy reload (SIGHUP)", StringComparison.Ordinal)),
            Inside("journalctl", "-u", "kmodguard", "--no-pager").Out);

        // Three watchdog periods later it still runs, never restarted: the pings arrive.
        Thread.Sleep(TimeSpan.FromSeconds(6));
        Assert.Equal("active", Inside("systemctl", "is-active", "kmodguard").Out.Trim());
        Assert.Equal("0", Inside("systemctl", "show", "-P", "NRestarts", "kmodguard").Out.Trim());

        Assert.Equal(0, Inside("systemctl", "stop", "kmodguard").ExitCode);
        Assert.Equal("inactive", Inside("systemctl", "is-active", "kmodguard").Out.Trim());
        Assert.False(Directory.Exists(Path.Combine(_debian.Path, "run", "kmodguard")));

        // With systemd running, purge stops what runs and removes it all.
        Assert.Equal(0, Inside("systemctl", "start", "kmodguard").ExitCode);
        Repo.Result purge = Inside("dpkg", "--purge", "kmodguard");
        Assert.True(purge.ExitCode == 0, purge.All);
        Assert.Equal("inactive", Inside("systemctl", "is-active", "kmodguard").Out.Trim());
        Assert.False(Directory.Exists(Path.Combine(_debian.Path, "etc", "kmodguard")));
    }

    private void BootContainer()
    {
        var psi = new ProcessStartInfo(Repo.Tool("systemd-nspawn")!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (string arg in new[] { "-D", _debian.Path, "--boot", "--register=no", "--keep-unit", "-M", "kmodguard-test" })
        {
            psi.ArgumentList.Add(arg);
        }

        _nspawn = Process.Start(psi)!;
        Task<string> console = _nspawn.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Boot)
        {
            if (_nspawn.HasExited)
            {
                Skip.If(true, $"systemd-nspawn cannot boot a container here (exit {_nspawn.ExitCode}): {_nspawn.StandardError.ReadToEnd()}");
            }

            _init = FindInit(_nspawn.Id);
            if (_init != 0 && Inside("systemctl", "is-system-running").Out.Trim() is "running" or "degraded")
            {
                return;
            }

            Thread.Sleep(250);
        }

        Assert.Fail($"the container did not finish booting within {Boot.TotalSeconds} s:\n{(console.IsCompleted ? console.Result : "")}");
    }

    private Repo.Result Inside(params string[] command) =>
        Repo.Run(Repo.Tool("nsenter")!, ["-t", _init.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", .. command], TimeSpan.FromSeconds(60));

    /// <summary>The container's systemd: a child of systemd-nspawn.</summary>
    private static int FindInit(int nspawn)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && Parent(pid) == nspawn
                && File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "systemd")
            {
                return pid;
            }
        }

        return 0;
    }

    private static int? Parent(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static bool Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 40; i++)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(250);
        }

        return false;
    }
}
