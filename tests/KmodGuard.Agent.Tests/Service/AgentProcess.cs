using System.Collections.Concurrent;
using System.Diagnostics;

namespace KmodGuard.Agent.Tests.Service;

/// <summary>The kmodguard binary started as systemd would start it, with its stderr (the journal) collected.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];

    public AgentProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kmodguard"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            psi.Environment[name] = value;
        }

        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Add(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.StandardOutput.Close();
    }

    public int Pid => _process.Id;

    public List<string> Journal { get; } = [];

    /// <summary>The next stderr line containing <paramref name="text"/>; throws with everything seen otherwise.</summary>
    public string WaitForLine(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (_lines.TryTake(out string? line, timeout - clock.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : timeout - clock.Elapsed))
        {
            Journal.Add(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TimeoutException($"no line with '{text}' within {timeout.TotalSeconds} s; stderr: [{string.Join(" | ", Journal)}]");
    }

    public void Signal(string name)
    {
        using Process kill = Process.Start("/bin/sh", ["-c", $"kill -{name} {Pid}"]);
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"kmodguard did not exit within {timeout.TotalSeconds} s");
        }

        _process.WaitForExit(); // drains stderr
        while (_lines.TryTake(out string? line))
        {
            Journal.Add(line);
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }
}
