using System.Diagnostics;
using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Tests;

/// <summary>
/// A real Debian auditd run in the foreground (auditd -n) with a temporary configuration: ENRICHED log in a temp
/// directory, no plugins. Stopped (SIGTERM, then SIGKILL) and its directory removed on Dispose.
/// </summary>
internal sealed class AuditdProcess : IDisposable
{
    public const string Executable = "/usr/sbin/auditd";

    private readonly Process _process;

    private AuditdProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public string LogFile => Path.Combine(Directory, "audit.log");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static void SkipUnlessInstalled() => Skip.IfNot(File.Exists(Executable), "needs Debian's auditd package (./build.sh test installs it as root)");

    public static AuditdProcess Start()
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("kmodguard-auditd-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "plugins.d"));
        File.WriteAllText(Path.Combine(dir, "auditd.conf"), $"""
            local_events = yes
            write_logs = yes
            log_file = {dir}/audit.log
            log_group = root
            log_format = ENRICHED
            flush = INCREMENTAL_ASYNC
            freq = 20
            max_log_file = 64
            num_logs = 2
            priority_boost = 0
            name_format = NONE
            max_log_file_action = ROTATE
            space_left = 2
            space_left_action = IGNORE
            admin_space_left = 1
            admin_space_left_action = IGNORE
            disk_full_action = IGNORE
            disk_error_action = IGNORE
            tcp_listen_queue = 5
            tcp_max_per_addr = 1
            tcp_client_max_idle = 0
            transport = TCP
            distribute_network = no
            q_depth = 2000
            overflow_action = IGNORE
            max_restarts = 0
            plugin_dir = {dir}/plugins.d
            end_of_event_timeout = 2

            """);
        var psi = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-n");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(dir);
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new AuditdProcess(process, dir);
    }

    /// <summary>Waits until the kernel reports this auditd as the registered daemon.</summary>
    public bool WaitRegistered(AuditControl control, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout && !_process.HasExited)
        {
            if (control.GetStatus().Pid == (uint)_process.Id)
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    public bool WaitExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Lines of its log that contain all the given fragments.</summary>
    public IEnumerable<string> LogLines() => File.Exists(LogFile) ? File.ReadAllLines(LogFile) : [];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            LibC.Kill(_process.Id, LibC.SigTerm);
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
