using System.Diagnostics;
using System.Reflection;

namespace KmodGuard.Telemetry.Tests;

/// <summary>Runs the test producer (tests/KmodGuard.Telemetry.Producer) with only the given environment variables (plus PATH and DOTNET_ROOT).</summary>
internal static class Producer
{
    private static readonly string Dll = typeof(Producer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "TelemetryProducerPath").Value!;

    public sealed record Result(int ExitCode, string[] Stdout, string Stderr, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
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
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the producer did not exit in time; stderr:\n{await stderr}");
        }

        return new Result(process.ExitCode, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries), await stderr, clock.Elapsed);
    }
}
