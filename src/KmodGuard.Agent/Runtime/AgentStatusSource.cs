using KmodGuard.Agent.Service;
using KmodGuard.Agent.Status;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.Telemetry;

namespace KmodGuard.Agent.Runtime;

/// <summary>The running agent's state for <c>kmodguard status</c>.</summary>
internal sealed class AgentStatusSource(AgentRuntimeState state, PolicyHolder policy, TelemetryPipeline telemetry) : IStatusSource
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public DateTimeOffset PolicyLoadedAt { get; set; } = DateTimeOffset.UtcNow;

    public StatusSnapshot Snapshot()
    {
        CompiledPolicy p = policy.Current;
        var session = state.Session;
        return new StatusSnapshot
        {
            Pid = Environment.ProcessId,
            Version = AgentVersion.Current.Short,
            StartedAt = _started,
            Audit = session is null
                ? new AuditStatusPart("starting", "the audit session is not up yet", 0, 0)
                : new AuditStatusPart(session.Mode.ToString().ToLowerInvariant(), session.Reason, session.RulesInstalled, state.Monitor?.KernelLostSinceStart ?? 0),
            Events = state.Processor?.Queued ?? 0,
            Decisions = state.Processor?.Decided ?? 0,
            Denied = state.Processor?.Denied ?? 0,
            Policy = new PolicyStatusPart(p.Source, p.Sha256, p.Rules.Count, Words.Of(p.Mode), PolicyLoadedAt),
            Telemetry = new TelemetryStatusPart(telemetry.Endpoint, telemetry.QueueDepth, telemetry.ExportFailures),
        };
    }
}
