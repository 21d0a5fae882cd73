using System.CommandLine;
using System.Runtime.Versioning;
using KmodGuard.Agent.Configuration;
using KmodGuard.Agent.Service;
using KmodGuard.Agent.Status;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Agent.Commands;

/// <summary>
/// <c>kmodguard service-probe</c> (hidden): the service plumbing of <c>run</c> without auditing — configuration, policy
/// and its reload, the status socket, READY=1/WATCHDOG=1/STOPPING=1 — so the systemd integration and start-to-READY
/// can be tested and measured on their own. It is also how these pieces compose: <c>run</c> adds the audit session
/// between loading the policy and READY.
/// </summary>
internal static class ServiceProbeCommand
{
    public static Command Create(ConsoleIo io)
    {
        var config = ConfigOption.Create();
        var command = new Command("service-probe", "Run the service plumbing (configuration, policy reload, status socket, sd_notify) without auditing.")
        {
            Hidden = true,
        };
        command.Add(config);
        command.SetAction((r, _) => OperatingSystem.IsWindows() ? Task.FromResult(ExitCodes.Usage) : RunAsync(io, r.GetValue(config)!));
        return command;
    }

    [UnsupportedOSPlatform("windows")]
    private static async Task<int> RunAsync(ConsoleIo io, string configPath)
    {
        using var signals = new StopSignal();
        CancellationToken stop = signals.Token;
        AgentConfig config;
        CompiledPolicy initial;
        try
        {
            config = AgentConfigLoader.LoadFile(configPath);
            initial = PolicyReloader.LoadInitial(config.Policy.Path, out string note);
            io.Error.WriteLine($"kmodguard: {(config.Source is null ? $"no configuration at {configPath}: built-in defaults" : $"configuration {config.Source}")}");
            io.Error.WriteLine($"kmodguard: {note}");
        }
        catch (AgentConfigException e)
        {
            return StartupRefusal.Refuse(io, e.Errors.Select(x => x.ToString()), e.Message);
        }
        catch (PolicyLoadException e)
        {
            return StartupRefusal.Refuse(io, e.Errors.Select(x => x.ToString()), e.Message);
        }

        var warnings = new List<string>();
        TelemetryConfig telemetry = TelemetryEnvironment.Apply(config.Telemetry, Environment.GetEnvironmentVariable, warnings);
        warnings.ForEach(w => io.Error.WriteLine($"kmodguard: warning: {w}"));
        var holder = new PolicyHolder(initial);
        var status = new ProbeStatus(holder, telemetry);
        using ServiceNotifier notifier = ServiceNotifier.FromEnvironment();
        using StatusServer? server = StatusServer.TryStart(config.StatusSocket, status, message => io.Error.WriteLine($"kmodguard: {message}"));
        using var reloader = new PolicyReloader(holder, config.Policy.Path, config.Policy.Watch ? PolicyReloader.DefaultPollInterval : null, result =>
        {
            if (result.Outcome == PolicyReloadOutcome.Swapped)
            {
                status.PolicyLoadedAt = DateTimeOffset.UtcNow;
            }

            io.Error.WriteLine($"kmodguard: {(result.Outcome == PolicyReloadOutcome.Rejected ? "error: " : "")}{result.Message}");
        });
        reloader.Start();

        notifier.Ready($"service probe (no auditing): policy {PolicyReloader.Describe(holder.Current)}");
        TimeSpan tick = notifier.WatchdogPeriod is { } period && period < TimeSpan.FromSeconds(1) ? period : TimeSpan.FromSeconds(1);
        try
        {
            while (true)
            {
                notifier.Watchdog();
                await Task.Delay(tick, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            notifier.Stopping("stopping");
        }

        return ExitCodes.Success;
    }



    private sealed class ProbeStatus(PolicyHolder holder, TelemetryConfig telemetry) : IStatusSource
    {
        private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

        public DateTimeOffset PolicyLoadedAt { get; set; } = DateTimeOffset.UtcNow;

        public StatusSnapshot Snapshot()
        {
            CompiledPolicy p = holder.Current;
            return new StatusSnapshot
            {
                Pid = Environment.ProcessId,
                Version = AgentVersion.Current.Short,
                StartedAt = _started,
                Audit = new AuditStatusPart("none", "service-probe does not audit", 0, 0),
                Policy = new PolicyStatusPart(p.Source, p.Sha256, p.Rules.Count, Core.Telemetry.Words.Of(p.Mode), PolicyLoadedAt),
                Telemetry = new TelemetryStatusPart(telemetry.OtlpEndpoint?.ToString(), 0, 0),
            };
        }
    }
}
