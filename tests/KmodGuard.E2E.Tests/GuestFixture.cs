using System.Diagnostics;
using System.Reflection;

namespace KmodGuard.E2E.Tests;

/// <summary>
/// Prepares and boots the e2e guest once (tests/e2e/prepare-guest.sh, boot-guest.sh) and parses what it reported.
/// Without qemu the suite is skipped with the reason; a failed download, build or boot fails every test with the cause.
/// The agent part switches on when artifacts/publish/kmodguard exists (NativeAOT publish, done by ./build.sh e2e).
/// </summary>
public sealed class GuestFixture
{
    private static readonly TimeSpan PrepareTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(5);

    /// <summary>prepare-guest.sh's exit status for "this machine cannot run the guest" (no Debian 12 apt source, a tool missing).</summary>
    private const int CannotRunHere = 77;

    public GuestFixture()
    {
        string repo = typeof(GuestFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        string cache = Path.Combine(repo, "artifacts/e2e/cache");
        RunDirectory = Path.Combine(repo, "artifacts/e2e/run");
        if (Environment.GetEnvironmentVariable("KMODGUARD_E2E_SKIP") is { Length: > 0 } reason)
        {
            SkipReason = reason;
            return;
        }

        if (FindOnPath("qemu-system-x86_64") is null)
        {
            SkipReason = "qemu-system-x86_64 is not installed (Debian package qemu-system-x86; ./build.sh e2e installs it when run as root)";
            return;
        }

        string agent = Path.Combine(repo, "artifacts/publish/kmodguard");
        var prepare = new List<string> { "--cache", cache, "--out", RunDirectory };
        if (File.Exists(agent))
        {
            prepare.AddRange(["--agent", agent]);
        }

        var watch = Stopwatch.StartNew();
        if (Script(Path.Combine(repo, "tests/e2e/prepare-guest.sh"), prepare, PrepareTimeout, out int status) is { } prepareError)
        {
            if (status == CannotRunHere)
            {
                SkipReason = prepareError.Split('\n')[^1];
            }
            else
            {
                Failure = $"preparing the guest failed: {prepareError}";
            }

            return;
        }

        PrepareTime = watch.Elapsed;
        watch.Restart();
        string? bootError = Script(Path.Combine(repo, "tests/e2e/boot-guest.sh"), [RunDirectory, ((int)BootTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)], BootTimeout + TimeSpan.FromSeconds(30), out _);
        BootTime = watch.Elapsed;
        Run = GuestRun.Load(RunDirectory);
        if (bootError is not null || !Run.Done)
        {
            Failure = $"the guest did not finish its scenarios ({bootError ?? "no '@@E2E done'"}); see {RunDirectory}/console.log and results.log";
        }
    }

    public string RunDirectory { get; }

    public string? SkipReason { get; }

    public string? Failure { get; }

    public GuestRun? Run { get; }

    public TimeSpan PrepareTime { get; }

    public TimeSpan BootTime { get; }

    /// <summary>The parsed run, or skip/fail the calling test with the reason there is none.</summary>
    public GuestRun Require()
    {
        Skip.If(SkipReason is not null, SkipReason);
        Assert.True(Failure is null, Failure);
        return Run!;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>Runs a script; null when it succeeded, else what went wrong with the end of its error output.</summary>
    private static string? Script(string path, IEnumerable<string> args, TimeSpan timeout, out int status)
    {
        status = -1;
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(path);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return $"{Path.GetFileName(path)} did not finish within {timeout.TotalMinutes} minutes";
        }

        string errors = stderr.Result;
        _ = stdout.Result;
        status = p.ExitCode;
        return status == 0 ? null : $"{Path.GetFileName(path)} exited {status}: {errors[Math.Max(0, errors.Length - 2000)..].Trim()}";
    }
}
