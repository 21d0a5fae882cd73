using System.CommandLine;
using System.Runtime.Versioning;
using KmodGuard.Agent.Configuration;
using KmodGuard.Agent.Runtime;
using KmodGuard.Agent.Service;
using KmodGuard.Agent.Status;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Audit.Session;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Agent.Commands;

/// <summary>
/// <c>kmodguard run</c>: the agent in the foreground. Decision records go to stdout (one JSON object per line, or
/// <c>--format text</c>) and, with an OTLP endpoint, to the collector; the agent's own messages go to stderr.
/// Stops cleanly on SIGINT/SIGTERM (rules removed, kernel settings restored); SIGHUP reloads the policy.
/// </summary>
internal static class RunCommand
{
    public static Command Create(ConsoleIo io)
    {
        var config = ConfigOption.Create();
        var policy = new Option<string?>("--policy") { Description = "Policy file (overrides policy.path; absent file: the embedded default policy)." };
        var mode = new Option<AuditMode?>("--audit-mode") { Description = "auto (default), unicast or multicast: how to read the kernel's audit records (docs/linux-audit.md)." };
        var format = new Option<DecisionRecordFormat?>("--format") { Description = "Decision records on stdout: json (one object per line) or text (one readable line)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "State directory (overrides state_directory; default /var/lib/kmodguard)." };
        var statusSocket = new Option<string?>("--status-socket") { Description = "Status socket path (overrides status_socket)." };
        var command = new Command("run", "Watch module loads and unloads through the kernel's audit subsystem, decide, enforce and record (needs root).")
        {
            config, policy, mode, format, stateDir, statusSocket,
        };
        command.SetAction((r, _) => OperatingSystem.IsWindows()
            ? Task.FromResult(ExitCodes.Usage)
            : RunAsync(io, r.GetValue(config)!, new Overrides(r.GetValue(policy), r.GetValue(mode), r.GetValue(format), r.GetValue(stateDir), r.GetValue(statusSocket))));
        return command;
    }

    private sealed record Overrides(string? Policy, AuditMode? Mode, DecisionRecordFormat? Format, string? StateDirectory, string? StatusSocket);

    [UnsupportedOSPlatform("windows")]
    private static async Task<int> RunAsync(ConsoleIo io, string configPath, Overrides overrides)
    {
        using var signals = new StopSignal();
        CancellationToken stop = signals.Token;
        AgentConfig config;
        CompiledPolicy initial;
        TrustedCertificates certificates;
        string note;
        try
        {
            config = Apply(AgentConfigLoader.LoadFile(configPath), overrides);
            initial = PolicyReloader.LoadInitial(config.Policy.Path, out note);
            certificates = TrustedCertificates.Load(config.TrustedCertificates);
        }
        catch (AgentConfigException e)
        {
            return StartupRefusal.Refuse(io, e.Errors.Select(x => x.ToString()), e.Message);
        }
        catch (PolicyLoadException e)
        {
            return StartupRefusal.Refuse(io, e.Errors.Select(x => x.ToString()), e.Message);
        }
        catch (TrustedCertificatesException e)
        {
            return StartupRefusal.Refuse(io, [], $"{configPath}: trusted_certificates: {e.Message}");
        }

        if (Mono.Unix.Native.Syscall.geteuid() != 0)
        {
            io.Error.WriteLine("kmodguard run needs root (or CAP_AUDIT_CONTROL and CAP_AUDIT_READ) to use the kernel's audit subsystem; try: sudo kmodguard run");
            io.Error.WriteLine("To see decisions without root, replay an audit log: kmodguard replay /var/log/audit/audit.log");
            return ExitCodes.Usage;
        }

        // Decision records on stdout are written in bursts and flushed when no decision is waiting (Console.Out would
        // make one write per record).
        using StreamWriter? buffered = ReferenceEquals(io.Out, Console.Out)
            ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false }
            : null;
        var console = new ConsoleDecisionSink(buffered ?? io.Out, config.Telemetry.ConsoleFormat);
        using TelemetryPipeline telemetry = TelemetryPipeline.Start(config.Telemetry.ToSettings(config.StateDirectory), console, AgentLogging.ToStandardError);
        ILogger log = telemetry.AgentLogger;
        string source = config.Source ?? $"{configPath} (absent: built-in defaults)";
        RunLog.Starting(log, source, note);

        var holder = new PolicyHolder(initial);
        using ServiceNotifier notifier = ServiceNotifier.FromEnvironment();
        using var agentCertificates = certificates;
        var agent = new LinuxAgent(config, holder, certificates, telemetry.Decisions, log, notifier);
        var status = new AgentStatusSource(agent.State, holder, telemetry);
        using StatusServer? server = StatusServer.TryStart(config.StatusSocket, status, message => RunLog.StatusSocket(log, message));
        using var reloader = new PolicyReloader(holder, config.Policy.Path, config.Policy.Watch ? PolicyReloader.DefaultPollInterval : null, result => OnReload(result, log, status, config));
        reloader.Start();
        return await agent.RunAsync(stop).ConfigureAwait(false);
    }

    private static AgentConfig Apply(AgentConfig config, Overrides o) => config with
    {
        Policy = o.Policy is null ? config.Policy : config.Policy with { Path = Path.GetFullPath(o.Policy) },
        Audit = o.Mode is null ? config.Audit : config.Audit with { Mode = o.Mode.Value },
        Telemetry = o.Format is null ? config.Telemetry : config.Telemetry with { ConsoleFormat = o.Format.Value },
        StateDirectory = o.StateDirectory ?? config.StateDirectory,
        StatusSocket = o.StatusSocket ?? config.StatusSocket,
    };

    [UnsupportedOSPlatform("windows")]
    private static void OnReload(PolicyReloadResult result, ILogger log, AgentStatusSource status, AgentConfig config)
    {
        switch (result.Outcome)
        {
            case PolicyReloadOutcome.Swapped:
                status.PolicyLoadedAt = DateTimeOffset.UtcNow;
                CompiledPolicy p = result.Current;
                string mode = Words.Of(p.Mode);
                log.PolicyReloaded(p.Source, p.Rules.Count, mode, p.Sha256);
                if (config.Enforcement.ModprobeDenylist)
                {
                    LinuxAgent.SyncDenylist(p, log);
                }

                break;
            case PolicyReloadOutcome.Rejected:
                log.PolicyError(config.Policy.Path, result.Message);
                break;
            default:
                RunLog.ReloadUnchanged(log, result.Message);
                break;
        }
    }


}

/// <summary>The run command's own log lines (agent events proper are <see cref="AgentLog"/>).</summary>
internal static partial class RunLog
{
    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "configuration {Config}; {PolicyNote}")]
    public static partial void Starting(ILogger logger, string config, string policyNote);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "{Message}")]
    public static partial void ReloadUnchanged(ILogger logger, string message);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "status: {Message}")]
    public static partial void StatusSocket(ILogger logger, string message);
}
