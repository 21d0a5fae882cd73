using System.Diagnostics;
using System.Reflection;

namespace KmodGuard.Telemetry.Tests;

/// <summary>Runs the test producer (tests/KmodGuard.Telemetry.Producer) with only the given environment variables (plus PATH and DOTNET_ROOT).</summary>
internal static class Producer
{
    private static readonly string Dll = typeof(Producer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "TelemetryProducerPath").Value!;

    public sealed record Result(int ExitCode, string[] Stdout, string Stderr, TimeSpan Elapsed);

    /// <summary>Runs the producer to its end, or until <paramref name="stop"/> (then it is killed, which is not a failure).</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, CancellationToken stop = default)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        start.Environment.Clear();
        foreach (string inherited in new[] { "PATH", "DOTNET_ROOT", "HOME" })
        {
            if (Environment.GetEnvironmentVariable(inherited) is { } v)
            {
                start.Environment[inherited] = v;
            }
        }

        foreach ((string k, string v) in environment)
        {
            start.Environment[k] = v;
        }

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, stop);
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (!stop.IsCancellationRequested)
            {
                throw new TimeoutException($"the producer did not exit in time; stderr:\n{await stderr}");
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }

        return new Result(process.ExitCode, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries), await stderr, clock.Elapsed);
    }
}
