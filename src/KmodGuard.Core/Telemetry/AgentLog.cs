using Microsoft.Extensions.Logging;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// The agent's own events (start, stop, mode, lost events, tamper alerts, policy reloads and errors, enforcement
/// failures, telemetry trouble), as source-generated logging methods: the event name is the OpenTelemetry event
/// name, each parameter an attribute with the key in its [TagName] and its own type. The message template is the
/// record body (OpenTelemetry keeps the template as body; console loggers show it formatted).
/// </summary>
public static partial class AgentLog
{
    /// <summary>The logger category agent events are written under (the OpenTelemetry instrumentation scope).</summary>
    public const string Category = "KmodGuard.Agent";

    [LoggerMessage(EventName = AgentEventNames.Start, Level = LogLevel.Information,
        Message = "KmodGuard {service.version} started in {kmodguard.mode} mode with policy {kmodguard.policy.sha256}")]
    public static partial void Started(this ILogger logger,
        [TagName(AgentAttributeNames.ServiceVersion)] string version,
        [TagName(AgentAttributeNames.Mode)] string mode,
        [TagName(AgentAttributeNames.PolicySha256)] string policySha256);

    [LoggerMessage(EventName = AgentEventNames.Stop, Level = LogLevel.Information, Message = "KmodGuard stopping: {kmodguard.reason}")]
    public static partial void Stopping(this ILogger logger, [TagName(AgentAttributeNames.Reason)] string reason);

    /// <summary>Switching to monitor mode disables enforcement, so it is a warning; to enforce, information.</summary>
    [LoggerMessage(EventName = AgentEventNames.ModeChanged, Message = "Mode changed from {kmodguard.mode.previous} to {kmodguard.mode}: {kmodguard.reason}")]
    public static partial void ModeChanged(this ILogger logger, LogLevel level,
        [TagName(AgentAttributeNames.PreviousMode)] string previousMode,
        [TagName(AgentAttributeNames.Mode)] string mode,
        [TagName(AgentAttributeNames.Reason)] string reason);

    /// <summary>Events the kernel (audit backlog: source "audit") or Endpoint Security (source "es") dropped before KmodGuard saw them.</summary>
    [LoggerMessage(EventName = AgentEventNames.LostEvents, Level = LogLevel.Warning, Message = "{kmodguard.lost.count} {kmodguard.lost.source} events were lost before KmodGuard saw them")]
    public static partial void LostEvents(this ILogger logger,
        [TagName(AgentAttributeNames.LostSource)] string source,
        [TagName(AgentAttributeNames.LostCount)] long count);

    /// <summary>Someone interfered with KmodGuard's sensors (audit rules removed, audit pid taken, ES client muted...).</summary>
    [LoggerMessage(EventName = AgentEventNames.Tamper, Level = LogLevel.Error, Message = "Tampering detected ({kmodguard.tamper.kind}): {kmodguard.reason}")]
    public static partial void Tamper(this ILogger logger,
        [TagName(AgentAttributeNames.TamperKind)] string kind,
        [TagName(AgentAttributeNames.Reason)] string reason);

    [LoggerMessage(EventName = AgentEventNames.PolicyReloaded, Level = LogLevel.Information,
        Message = "Policy {file.path} loaded: {kmodguard.policy.rules} rules, {kmodguard.mode} mode, sha256 {kmodguard.policy.sha256}")]
    public static partial void PolicyReloaded(this ILogger logger,
        [TagName(AgentAttributeNames.FilePath)] string path,
        [TagName(AgentAttributeNames.PolicyRuleCount)] long ruleCount,
        [TagName(AgentAttributeNames.Mode)] string mode,
        [TagName(AgentAttributeNames.PolicySha256)] string policySha256);

    [LoggerMessage(EventName = AgentEventNames.PolicyError, Level = LogLevel.Error, Message = "Policy {file.path} rejected, keeping the previous policy: {error.message}")]
    public static partial void PolicyError(this ILogger logger,
        [TagName(AgentAttributeNames.FilePath)] string path,
        [TagName(AgentAttributeNames.ErrorMessage)] string error);

    [LoggerMessage(EventName = AgentEventNames.EnforcementFailed, Level = LogLevel.Error,
        Message = "Enforcement {kmodguard.action} of module {kmodguard.module.name} failed: {error.type}")]
    public static partial void EnforcementFailed(this ILogger logger,
        [TagName(AgentAttributeNames.ModuleName)] string moduleName,
        [TagName(AgentAttributeNames.Action)] string action,
        [TagName(AgentAttributeNames.ErrorType)] string error);

    [LoggerMessage(EventName = AgentEventNames.ExportFailed, Level = LogLevel.Warning,
        Message = "OpenTelemetry export to {server.address} failed ({kmodguard.telemetry.suppressed} similar failures not shown): {error.message}")]
    public static partial void ExportFailed(this ILogger logger,
        [TagName(AgentAttributeNames.ServerAddress)] string endpoint,
        [TagName(AgentAttributeNames.ErrorMessage)] string error,
        [TagName(AgentAttributeNames.SuppressedCount)] long suppressed);

    [LoggerMessage(EventName = AgentEventNames.Spilling, Level = LogLevel.Warning,
        Message = "Telemetry queue full: {kmodguard.telemetry.records} decision records written to the disk spill since the last report")]
    public static partial void Spilling(this ILogger logger, [TagName(AgentAttributeNames.RecordCount)] long count);

    [LoggerMessage(EventName = AgentEventNames.Dropped, Level = LogLevel.Error,
        Message = "{kmodguard.telemetry.records} decision records were dropped from OpenTelemetry export: {kmodguard.reason}")]
    public static partial void Dropped(this ILogger logger,
        [TagName(AgentAttributeNames.RecordCount)] long count,
        [TagName(AgentAttributeNames.Reason)] string reason);

    /// <summary>The state directory cannot hold undelivered records; what it would have kept is now only in memory.</summary>
    [LoggerMessage(EventName = AgentEventNames.StorageUnavailable, Level = LogLevel.Warning,
        Message = "No telemetry storage in {file.path} ({error.message}): {kmodguard.reason}")]
    public static partial void StorageUnavailable(this ILogger logger,
        [TagName(AgentAttributeNames.FilePath)] string path,
        [TagName(AgentAttributeNames.ErrorMessage)] string error,
        [TagName(AgentAttributeNames.Reason)] string consequence);
}
