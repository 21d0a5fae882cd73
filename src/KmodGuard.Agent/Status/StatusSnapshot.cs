namespace KmodGuard.Agent.Status;

/// <summary>
/// The running agent's state as <c>kmodguard status</c> shows it; the agent fills it through <see cref="IStatusSource"/>.
/// Serialised as JSON with snake_case names (<see cref="AgentJsonContext"/>); counters are totals since start.
/// </summary>
internal sealed record StatusSnapshot
{
    public required int Pid { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required AuditStatusPart Audit { get; init; }

    /// <summary>Module activities seen (loads, unloads, persistence changes).</summary>
    public long Events { get; init; }

    public long Decisions { get; init; }

    public long Denied { get; init; }

    public required PolicyStatusPart Policy { get; init; }

    public required TelemetryStatusPart Telemetry { get; init; }
}

/// <param name="Mode">unicast or multicast (or none, when the agent does not audit).</param>
/// <param name="ModeReason">Why that mode (e.g. "auditd owns the audit socket").</param>
/// <param name="KernelLost">Records the kernel dropped since the agent started (its lost counter's growth).</param>
internal sealed record AuditStatusPart(string Mode, string ModeReason, int RulesInstalled, long KernelLost);

/// <param name="Source">The policy file, or "embedded:default-policy.yaml".</param>
internal sealed record PolicyStatusPart(string Source, string Sha256, int Rules, string Mode, DateTimeOffset LoadedAt);

/// <param name="OtlpEndpoint">Null when decisions go to the console only.</param>
/// <param name="QueueDepth">Decisions waiting to be exported.</param>
/// <param name="ExportFailures">Failed export requests since start.</param>
internal sealed record TelemetryStatusPart(string? OtlpEndpoint, long QueueDepth, long ExportFailures);
