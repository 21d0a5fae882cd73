namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>What the shim has seen and answered since it started (kg_es_counters), plus managed-side failures.</summary>
public sealed record EsCounters
{
    public ulong Messages { get; init; }
    public ulong AuthMessages { get; init; }
    public ulong NotifyMessages { get; init; }
    public ulong AuthAllowed { get; init; }
    public ulong AuthDenied { get; init; }

    /// <summary>Answered with the configured default because the decision was late.</summary>
    public ulong WatchdogAnswers { get; init; }

    /// <summary>Answered with the default without asking: deadline too close, too much pending, or stopping.</summary>
    public ulong ShimAnswers { get; init; }

    public ulong LateCallbacks { get; init; }
    public ulong RespondErrors { get; init; }

    /// <summary>Messages the kernel dropped, from gaps in seq_num (per event type).</summary>
    public ulong DroppedEvents { get; init; }

    /// <summary>Messages the kernel dropped, from gaps in global_seq_num.</summary>
    public ulong DroppedEventsGlobal { get; init; }

    /// <summary>Decisions or records that failed in managed code (answered with the default; see the agent log).</summary>
    public ulong ManagedErrors { get; init; }
}
