using System.Diagnostics;

namespace KmodGuard.Linux.Tests.Processes;

/// <summary>
/// A real process started by a test with /bin/sh -c SCRIPT. The script prints lines the test waits for (a pid,
/// "ready") and then sleeps; Dispose kills it and everything it started.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _shell;

    private ChildProcess(Process shell) => _shell = shell;

    public int ShellPid => _shell.Id;

    public static ChildProcess Start(string script, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        return new ChildProcess(Process.Start(start)!);
    }

    /// <summary>A sleep process holding <paramref name="path"/> open as fd 3, as insmod holds the module during finit_module.</summary>
    public static (ChildProcess Child, int Pid) HoldingFd3(string path)
    {
        ChildProcess child = Start($"exec 3< '{path}'; echo $$; exec sleep 30");
        return (child, child.ReadPidOfSleep());
    }

    /// <summary>The next line the script prints, or an exception with its stderr if it ends first or takes over 10 s.</summary>
    public string ReadLine()
    {
        Task<string?> line = _shell.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(10)) || line.Result is null)
        {
            throw new InvalidOperationException($"child printed nothing: {(_shell.HasExited ? _shell.StandardError.ReadToEnd() : "(still running)")}");
        }

        return line.Result;
    }

    /// <summary>Reads a pid the script printed with <c>echo $$</c> before <c>exec sleep</c>, and waits until the exec happened.</summary>
    public int ReadPidOfSleep()
    {
        int pid = int.Parse(ReadLine(), System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 200 && File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n') != "sleep"; i++)
        {
            Thread.Sleep(10);
        }

        return pid;
    }

    public void Dispose()
    {
        try
        {
            _shell.Kill(entireProcessTree: true);
            _shell.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _shell.Dispose();
    }
}
