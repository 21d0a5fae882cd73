using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Benchmarks;

/// <summary>
/// Start-to-READY of the NativeAOT binary (artifacts/publish/kmodguard) under a fake systemd: the time from starting
/// the process until READY=1 arrives on NOTIFY_SOCKET. The peer is the same binary's <c>version</c> from start to exit
/// (process creation and runtime start-up alone), measured in the same run. After each READY the agent's VmRSS is
/// read, idle, and the medians printed at the end.
/// </summary>
/// <remarks>
/// KMODGUARD_READY_COMMAND picks the command: <c>service-probe</c> (the default: configuration, policy, status socket,
/// sd_notify, no auditing) or <c>run</c> (the whole agent, READY after its audit rules are installed; needs root).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30, invocationCount: 1)]
[MedianColumn]
public class ServiceStartupBenchmarks
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly List<long> _rssKiB = [];
    private string _binary = null!;
    private string _command = null!;
    private string _dir = null!;
    private string _config = null!;
    private NotifySocketListener _systemd = null!;
    private Process? _agent;

    [GlobalSetup]
    public void Setup()
    {
        _binary = Environment.GetEnvironmentVariable("KMODGUARD_BINARY") ?? Path.Combine(RepoRoot(), "artifacts", "publish", "kmodguard");
        if (!File.Exists(_binary))
        {
            throw new InvalidOperationException($"{_binary} does not exist: run ./build.sh package (or set KMODGUARD_BINARY)");
        }

        _command = Environment.GetEnvironmentVariable("KMODGUARD_READY_COMMAND") ?? "service-probe";
        _dir = Directory.CreateTempSubdirectory("kg-bench-").FullName;
        _config = Path.Combine(_dir, "kmodguard.yaml");
        File.WriteAllText(_config, $"policy:\n  path: {_dir}/policy.yaml\nstatus_socket: {_dir}/run/status.sock\nstate_directory: {_dir}/state\n");
        _systemd = new NotifySocketListener(Path.Combine(_dir, "notify"));
    }

    [Benchmark(Baseline = true, Description = "version: start to exit (peer)")]
    public int VersionToExit()
    {
        using Process p = Process.Start(new ProcessStartInfo(_binary, ["version"]) { RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    [Benchmark(Description = "start to READY=1")]
    public void StartToReady()
    {
        var psi = new ProcessStartInfo(_binary, [_command, "--config", _config]) { RedirectStandardError = true };
        psi.Environment["NOTIFY_SOCKET"] = _systemd.Path;
        _agent = Process.Start(psi)!;
        _agent.BeginErrorReadLine();
        _systemd.WaitFor("READY=1", ReadyTimeout);
    }

    [IterationCleanup(Target = nameof(StartToReady))]
    public void StopAgent()
    {
        if (_agent is null)
        {
            return;
        }

        Thread.Sleep(200); // let start-up allocations settle: idle resident memory, not the peak
        _rssKiB.Add(VmRssKiB(_agent.Id));
        // SIGTERM as systemd stops it: `run` then removes its rules and unregisters, so the next start finds the kernel
        // as a real restart would (SIGKILL would leave rules and a dead registration behind, and the next start would
        // measure their repair).
        KmodGuard.Linux.LibC.Kill(_agent.Id, KmodGuard.Linux.LibC.SigTerm);
        if (!_agent.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _agent.Kill();
            _agent.WaitForExit();
        }

        _agent.Dispose();
        _agent = null;
        while (_systemd.Receive(TimeSpan.FromMilliseconds(1)) is not null)
        {
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _systemd.Dispose();
        Directory.Delete(_dir, recursive: true);
        if (_rssKiB.Count > 0)
        {
            long[] sorted = [.. _rssKiB.Order()];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// kmodguard {_command}: VmRSS after READY (idle): median {sorted[sorted.Length / 2] / 1024.0:0.0} MiB, max {sorted[^1] / 1024.0:0.0} MiB over {sorted.Length} starts"));
        }
    }

    private static long VmRssKiB(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KmodGuard.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
