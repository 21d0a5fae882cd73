using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.MacOS.Configuration;
using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.Telemetry;
using Microsoft.Extensions.Configuration;

namespace KmodGuard.MacOS.Extension;

/// <summary>
/// The extension's life: read settings, load the policy, export the OTLP settings, run the Endpoint Security client
/// until asked to stop. Starts and stops the client on the calling thread, as ES requires.
/// </summary>
internal static class ExtensionHost
{
    public const int Success = 0;
    public const int BadConfiguration = 2;
    public const int ClientFailed = 3;

    private const string Usage = "usage: kmodguard-extension [--settings FILE.plist] [--domain BUNDLE_ID] [--check]";

    /// <param name="started">Called once the client runs (tests inject events from here).</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Action<EndpointSecurityGuard>? started, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? settingsFile = null, domain = null;
        bool check = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--settings" when i + 1 < args.Length:
                    settingsFile = args[++i];
                    break;
                case "--domain" when i + 1 < args.Length:
                    domain = args[++i];
                    break;
                case "--check":
                    check = true;
                    break;
                default:
                    stderr.WriteLine(Usage);
                    return BadConfiguration;
            }
        }

        ExtensionSettings settings;
        CompiledPolicy policy;
        try
        {
            // The executable is named after the bundle id, which is also the settings payload's preference domain.
            domain ??= Path.GetFileName(Environment.ProcessPath) ?? "kmodguard-extension";
            settings = settingsFile is null ? ExtensionSettingsLoader.Load(domain) : ExtensionSettingsLoader.FromFile(settingsFile);
            policy = settings.Policy is { } text ? PolicyLoader.Load(text, $"{settings.Source}:{ExtensionSettings.Keys.Policy}")
                : settings.PolicyPath is { } path ? PolicyLoader.LoadFile(path)
                : DefaultPolicy.Load();
        }
        catch (Exception e) when (e is FormatException or PolicyLoadException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"kmodguard-extension: configuration error: {e.Message}");
            return BadConfiguration;
        }

        var options = new EsClientOptions
        {
            FailClosed = settings.FailClosed,
            MinimumHeadroom = settings.MinimumHeadroom ?? new EsClientOptions().MinimumHeadroom,
        };
        stderr.WriteLine($"kmodguard-extension: settings from {settings.Source}; policy {policy.Source} " +
                         $"(mode {Words.Of(policy.Mode)}, sha256 {policy.Sha256[..12]}); fail {(options.FailClosed ? "closed" : "open")}; " +
                         $"OTLP endpoint {settings.Otel.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "(not set)")}");
        if (check)
        {
            return Success;
        }

        // Decisions go to stdout as JSON lines (the unified log on macOS) and, with an OTLP endpoint, to the collector.
        // The OTEL_* keys of the managed settings configure the exporter like environment variables, and win over
        // the process environment (the profile is what the fleet's administrator set).
        IConfiguration otel = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings.Otel!).Build();
        string state = StateDirectory();
        try
        {
            return Serve(policy, options, otel, state, stdout, stderr, started, stop);
        }
        finally
        {
            if (!OperatingSystem.IsMacOS())
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static int Serve(CompiledPolicy policy, EsClientOptions options, IConfiguration otel, string state, TextWriter stdout, TextWriter stderr, Action<EndpointSecurityGuard>? started, CancellationToken stop)
    {
        using TelemetryPipeline telemetry = TelemetryPipeline.Start(
            new TelemetrySettings { StateDirectory = state },
            new ConsoleDecisionSink(stdout, DecisionRecordFormat.Json),
            environment: otel);
        IDecisionSink sink = telemetry.Decisions;
        EsCounters counters;
        try
        {
            using EndpointSecurityGuard guard = EndpointSecurityGuard.Start(new PolicyHolder(policy), sink, options);
            started?.Invoke(guard);
            stop.WaitHandle.WaitOne();
            counters = guard.Counters;
        }
        catch (EsShimException e)
        {
            stderr.WriteLine($"kmodguard-extension: cannot start the Endpoint Security client: {e.Message}");
            return ClientFailed;
        }

        stderr.WriteLine($"kmodguard-extension: stopped; {counters}");
        return Success;
    }

    /// <summary>Undelivered telemetry survives restarts here; off macOS (tests) a private temporary directory per run,
    /// removed at the end.</summary>
    private static string StateDirectory() => OperatingSystem.IsMacOS()
        ? "/Library/Application Support/KmodGuard/state"
        : Directory.CreateTempSubdirectory("kmodguard-extension-").FullName;
}
