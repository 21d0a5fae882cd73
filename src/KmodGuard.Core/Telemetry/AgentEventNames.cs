namespace KmodGuard.Core.Telemetry;

/// <summary>OpenTelemetry event names (LogRecord event_name) of the agent's own events. A public contract (docs/telemetry.md).</summary>
public static class AgentEventNames
{
    public const string Start = "kmodguard.agent.start";
    public const string Stop = "kmodguard.agent.stop";
    public const string ModeChanged = "kmodguard.agent.mode";
    public const string LostEvents = "kmodguard.agent.lost_events";
    public const string Tamper = "kmodguard.agent.tamper";
    public const string PolicyReloaded = "kmodguard.agent.policy.reload";
    public const string PolicyError = "kmodguard.agent.policy.error";
    public const string EnforcementFailed = "kmodguard.agent.enforcement.failed";
    public const string ExportFailed = "kmodguard.agent.telemetry.export_failed";
    public const string Spilling = "kmodguard.agent.telemetry.spilling";
    public const string Dropped = "kmodguard.agent.telemetry.dropped";
    public const string StorageUnavailable = "kmodguard.agent.telemetry.storage_unavailable";
}
