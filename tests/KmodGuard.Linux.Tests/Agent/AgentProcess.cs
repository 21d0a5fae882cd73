using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace KmodGuard.Linux.Tests.Agent;

/// <summary>
/// The real kmodguard executable (built beside this test assembly) run as a child process: its decision records
/// (stdout, JSON lines) and its log (stderr) are collected; Dispose stops it with SIGTERM, then SIGKILL.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The agent executable of the same build configuration as this test assembly.</summary>
    public static string Executable
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Name; // .../KmodGuard.Linux.Tests/<configuration>/
            return Path.Combine(NativeTools.RepoRoot, "artifacts", "bin", "KmodGuard.Agent", configuration, "kmodguard");
        }
    }

    public int Pid => _process.Id;

    public IReadOnlyList<string> Errors => [.. _stderr];

    public static AgentProcess Start(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        Skip.IfNot(File.Exists(Executable), $"the agent is not built at {Executable}");
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        return new AgentProcess(Process.Start(psi)!);
    }

    /// <summary>
    /// <c>kmodguard run</c> with its files under <paramref name="dir"/> (the built-in policy unless
    /// <paramref name="policy"/> names one), once the kernel's audit subsystem is free for it (the test skips, saying
    /// why, otherwise), waited for until its log says <paramref name="logged"/>.
    /// </summary>
    public static AgentProcess StartRun(string dir, string? policy = null, IReadOnlyDictionary<string, string>? environment = null, string logged = "started in")
    {
        LiveAudit.SkipUnlessAvailable();
        NativeTools.SkipUnlessBuilt(NativeTools.ModTest);
        LiveAudit.SkipIfDaemonRegistered();
        AgentProcess agent = Start(environment, RunArguments(dir, policy));
        agent.WaitForLog(logged);
        return agent;
    }

    public static string[] RunArguments(string dir, string? policy = null) =>
    [
        "run",
        "--config", Path.Combine(dir, "absent.yaml"),
        "--policy", policy ?? Path.Combine(dir, "absent-policy.yaml"),
        "--state-dir", Path.Combine(dir, "state"),
        "--status-socket", Path.Combine(dir, "run", "status.sock"),
    ];

    /// <summary>Waits for a stderr line containing <paramref name="text"/>; fails with the agent's log if it never comes.</summary>
    public void WaitForLog(string text, TimeSpan? timeout = null)
    {
        if (!SpinWait.SpinUntil(() => _stderr.Any(l => l.Contains(text, StringComparison.Ordinal)) || _process.HasExited, timeout ?? TimeSpan.FromSeconds(30))
            || !_stderr.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.Fail($"the agent never logged '{text}'. Its log:\n{string.Join('\n', _stderr)}");
        }
    }

    /// <summary>Decision records so far, parsed.</summary>
    public List<JsonElement> Records() => [.. _stdout.Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Waits until a record matching <paramref name="match"/> arrives, and returns all records then.</summary>
    public List<JsonElement> WaitForRecord(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        List<JsonElement> records = [];
        bool found = SpinWait.SpinUntil(() => (records = Records()).Any(match), timeout ?? TimeSpan.FromSeconds(10));
        Assert.True(found, $"no matching decision record among {records.Count}:\n{string.Join('\n', _stdout.Take(20))}\nagent log:\n{string.Join('\n', _stderr)}");
        return records;
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: nothing is cleaned up.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, and the exit code once it has stopped.</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            LibC.Kill(_process.Id, LibC.SigTerm);
        }

        if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
            _process.WaitForExit();
            Assert.Fail("the agent did not stop within 30 s of SIGTERM");
        }

        _process.WaitForExit(); // flushes the asynchronous readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Stop();
        }

        _process.Dispose();
    }
}
