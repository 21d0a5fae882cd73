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
